# Ethernet drivers: esp32eth (network.LAN: internal EMAC + RMII PHY, or SPI chips).
