# wireless: Zerynth-style Wi-Fi (`from wireless import wifi`).
