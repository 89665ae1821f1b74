"""pySFML's Ftp (Debian python3-sfml, pySFML 2.2 API) through one FTP session against
a pyftpdlib server; prints one JSON list of [step, status, message, extra] for
tests/host/test_ftp_pysfml.py, which runs sfnet.Ftp through the same steps
(tests/peers/mpscripts/sfnet_ftp_pysfml.py) and compares. Run with /usr/bin/python3.

    pysfml_ftp_client.py PORT LOCAL_DIR      # LOCAL_DIR holds up.bin; downloads go to LOCAL_DIR/dl
"""

import json
import os
import sys

import sfml.network as sf
from sfml.system import seconds


def main():
    port, local = int(sys.argv[1]), sys.argv[2]
    dl = os.path.join(local, "dl")
    os.makedirs(dl, exist_ok=True)
    ftp = sf.Ftp()
    out = []

    def step(name, r, extra=None):
        out.append([name, r.status, r.message, extra])

    # the same steps, in the same order, as the MicroPython script
    step("connect", ftp.connect(sf.IpAddress.LOCAL_HOST, port, seconds(5)))
    step("login_bad", ftp.login("user", "wrong"))
    step("login", ftp.login("user", "12345"))
    r = ftp.get_working_directory()
    step("pwd", r, r.get_directory())
    step("mkdir", ftp.create_directory("sub"))
    step("mkdir_again", ftp.create_directory("sub"))
    step("cd", ftp.change_directory("sub"))
    r = ftp.get_working_directory()
    step("pwd_sub", r, r.get_directory())
    step("cdup", ftp.parent_directory())
    step("upload", ftp.upload(os.path.join(local, "up.bin"), "sub"))
    r = ftp.get_directory_listing("sub")
    step("list", r, sorted(r.filenames))
    step("download", ftp.download("sub/up.bin", dl))
    step("rename", ftp.rename_file("sub/up.bin", "sub/moved.bin"))
    step("rm_missing", ftp.delete_file("sub/nosuch"))
    step("rm", ftp.delete_file("sub/moved.bin"))
    step("rmdir_missing", ftp.delete_directory("nosuch"))
    step("rmdir", ftp.delete_directory("sub"))
    step("cd_missing", ftp.change_directory("nosuch"))
    step("download_missing", ftp.download("nosuch.bin", dl))
    r = ftp.get_directory_listing("nosuch")
    step("list_missing", r, sorted(r.filenames))
    step("noop", ftp.keep_alive())
    step("quit", ftp.disconnect())
    print(json.dumps(out, default=lambda v: v.decode() if isinstance(v, bytes) else str(v)))


if __name__ == "__main__":
    main()
