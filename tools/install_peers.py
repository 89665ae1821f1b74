"""Install the Debian packages that test peers need, when we are allowed to.

Run by `make test`. As root (CI) missing packages are installed with apt-get; as
another user the script only reports what is missing, and the tests that need a
missing peer skip with that reason.
"""

import os
import shutil
import subprocess
import sys

# package -> why the suite needs it
DEBIAN_PEERS = {
    "python3-sfml": "pySFML, the system the sfnet facade mirrors (interop tests)",
    "libsfml-dev": "C++ SFML headers/libs for the Packet wire-format peer",
    "g++": "compiles the C++ SFML peer",
    "iproute2": "network namespaces and veth pairs for fault tests",
    "openssl": "self-signed certificates for the TLS peers",
    "mosquitto": "a real MQTT broker for the stock umqtt.simple/umqtt.robust tests",
    "iperf3": "the real iperf3, peer of stock iperf3.py (server and client)",
    "gcc-multilib": "`gcc -m32` for the 32-bit frozen firmware (make firmware-unix): ESP32-sized objects",
    "libffi-dev": "the unix port's ffi module in the 64-bit frozen firmware (built without it if missing)",
}


def missing_packages(packages):
    missing = []
    for name in packages:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True
        )
        if "install ok installed" not in result.stdout:
            missing.append(name)
    return missing


def main():
    if not shutil.which("dpkg-query"):
        print("install_peers: not a Debian system; peer tests that need Debian packages will skip")
        return 0
    missing = missing_packages(DEBIAN_PEERS)
    if not missing:
        return 0
    if os.geteuid() != 0:
        print("install_peers: not root, so not installing: %s" % " ".join(missing))
        for name in missing:
            print("  %s: %s" % (name, DEBIAN_PEERS[name]))
        return 0
    print("install_peers: apt-get install %s" % " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
    result = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + missing, env=env
    )
    if result.returncode != 0:
        print("install_peers: apt-get failed; tests needing these peers will skip with the reason")
    return 0


if __name__ == "__main__":
    sys.exit(main())
