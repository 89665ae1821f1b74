# ethernet: Zerynth-style Ethernet (`from ethernet import eth`).
