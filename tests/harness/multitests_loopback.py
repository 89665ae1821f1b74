"""Run MicroPython's tests/run-multitests.py unmodified, but on 127.0.0.1.

Its get_host_ip() asks the routing table for the host's outward address; our network
tests touch only loopback, so that one function is replaced before main() runs.

    python multitests_loopback.py PATH/run-multitests.py ARGS...
"""

import importlib.util
import os
import sys

script = os.path.abspath(sys.argv[1])
sys.argv = [script] + sys.argv[2:]
sys.path.insert(0, os.path.dirname(script))  # its test_utils
spec = importlib.util.spec_from_file_location("run_multitests", script)
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)
runner.get_host_ip = lambda _ip_cache=None: "127.0.0.1"
runner.main()
