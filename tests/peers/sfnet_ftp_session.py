# One FTP session, run under pySFML's Ftp (/usr/bin/python3, Debian's python3-sfml) and
# under MicroPython with sfnet.Ftp, against a pyftpdlib server; prints one line,
# "RESULT <json>": a [step, status, message, result] list that
# tests/host/test_ftp_pysfml.py compares. argv: port local_dir (local_dir holds
# up.bin; downloads go to local_dir/dl).
import json
import os
import sys

if sys.implementation.name == "micropython":
    from sfnet import Ftp, IpAddress, seconds
else:
    from sfml.network import Ftp, IpAddress
    from sfml.system import seconds

port, local = int(sys.argv[1]), sys.argv[2]
dl = local + "/dl"
try:
    os.mkdir(dl)
except OSError:
    pass
ftp = Ftp()
out = []


def text(v):
    # pySFML 2.2 hands some strings over as bytes
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, list):
        return [text(x) for x in v]
    return v


def step(name, r, extra=None):
    out.append([name, r.status, text(r.message), text(extra)])


step("connect", ftp.connect(IpAddress.LOCAL_HOST, port, seconds(5)))
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
step("upload", ftp.upload(local + "/up.bin", "sub"))
r = ftp.get_directory_listing("sub")
step("list", r, sorted(text(r.filenames)))
step("download", ftp.download("sub/up.bin", dl))
step("rename", ftp.rename_file("sub/up.bin", "sub/moved.bin"))
step("rm_missing", ftp.delete_file("sub/nosuch"))
step("rm", ftp.delete_file("sub/moved.bin"))
step("rmdir_missing", ftp.delete_directory("nosuch"))
step("rmdir", ftp.delete_directory("sub"))
step("cd_missing", ftp.change_directory("nosuch"))
step("download_missing", ftp.download("nosuch.bin", dl))
r = ftp.get_directory_listing("nosuch")
step("list_missing", r, sorted(text(r.filenames)))
step("noop", ftp.keep_alive())
step("quit", ftp.disconnect())
print("RESULT " + json.dumps(out))
