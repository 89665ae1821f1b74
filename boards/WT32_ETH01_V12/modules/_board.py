# Frozen with the WT32_ETH01_V12 firmware: drivers.boards.default() reads this name.
NAME = 'WT32_ETH01_V12'
