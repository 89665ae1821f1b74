# Frozen with the WT32_ETH01 firmware: drivers.boards.default() reads this name.
NAME = 'WT32_ETH01'
