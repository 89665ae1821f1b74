# cmake-based ports (ESP32): the _netfast C module
add_library(usermod_netfast INTERFACE)
target_sources(usermod_netfast INTERFACE ${CMAKE_CURRENT_LIST_DIR}/netfast.c)
target_include_directories(usermod_netfast INTERFACE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(usermod INTERFACE usermod_netfast)
