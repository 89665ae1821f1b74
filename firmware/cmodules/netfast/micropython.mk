# make-based ports (unix): the _netfast C module
NETFAST_MOD_DIR := $(USERMOD_DIR)
SRC_USERMOD_C += $(NETFAST_MOD_DIR)/netfast.c
