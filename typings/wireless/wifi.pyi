"""wireless.wifi (modules/wireless/wifi.py): Zerynth-style Wi-Fi. Times in MILLISECONDS."""

from typing import Any
from typing_extensions import Self

from netlink import UP as UP, NO_IP as NO_IP, CONNECTING as CONNECTING, LinkError as LinkError, WrongPassword as WrongPassword, NoAccessPoint as NoAccessPoint, LinkTimeout as LinkTimeout, DhcpTimeout as DhcpTimeout, on_change as on_change, remove as remove, set_hostname as set_hostname
WIFI_OPEN: int
WIFI_WEP: int
WIFI_WPA: int
WIFI_WPA2: int
WIFI_WPA_WPA2: int
WIFI_WPA3: int
WIFI_WPA2_WPA3: int
DEFAULT_TIMEOUT: int
def link(ssid: str, security: int, password: str = ..., timeout: int = ..., auto_reconnect: bool = ...) -> str:
    """Join `ssid`; return the IP address, or raise a LinkError subclass within
    timeout + 1 s. Already linked to `ssid`: returns at once. A connection already
    in progress to `ssid` is waited for, never restarted."""
def try_link(ssid: str, password: str, security: int = ..., attempts: int = ..., delay: int = ..., timeout: int = ...) -> str:
    """link() up to `attempts` times, `delay` ms apart; raise the last error."""
def unlink() -> None:
    """Leave the network and stop any reconnection (firmware's or the supervisor's)."""
def is_linked() -> bool: ...
def auto_reconnect(enable: bool = ..., first: int | None = ..., maximum: int | None = ...) -> None:
    """Reconnect after a drop, with exponential backoff from `first` to `maximum` ms."""
def link_info() -> tuple[str, str, str, str, bytes]:
    """(ip, mask, gateway, dns, mac) of the station interface."""
def set_link_info(ip: str, mask: str | None = ..., gateway: str | None = ..., dns: str | None = ...) -> None:
    """Static address for the next link(); ip "0.0.0.0" goes back to DHCP."""
def gethostbyname(name: str) -> str: ...
def scan(duration: int = ...) -> tuple[tuple[str, int, int, bytes], ...]:
    """Tuple of (ssid, security, rssi, bssid). ESP32 scans all channels in ~2 s and
    ignores `duration`."""
def rssi() -> int:
    """Signal strength of the current access point, in dBm."""
def softap_init(ssid: str, security: int, password: str = ..., max_conn: int = ...) -> None: ...
def softap_config(ip: str = ..., gw: str | None = ..., net: str = ..., dns: str | None = ...) -> None: ...
def softap_get_info() -> tuple[str, str, str, str, bytes]:
    """(ip, mask, gateway, dns, mac) of the soft-AP interface."""
def softap_off() -> None: ...
