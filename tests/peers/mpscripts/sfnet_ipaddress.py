# MicroPython side of tests/host/test_sfnet_pysfml.py's IpAddress comparison.
#   sfnet_ipaddress.py TABLE.json   print [[valid, integer], ...] for each string, as JSON
#   sfnet_ipaddress.py --local      print IpAddress.get_local_address().integer
import sys
import json
from sfnet import IpAddress

if sys.argv[1] == "--local":
    print(IpAddress.get_local_address().integer)
else:
    with open(sys.argv[1]) as f:
        table = json.load(f)
    out = []
    for s in table:
        ip = IpAddress.from_string(s)
        out.append([ip != IpAddress.NONE, ip.integer])
    print(json.dumps(out))
