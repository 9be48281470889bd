import os
import subprocess


def archive(name):
    # ruleid: py-command-injection
    os.system("tar czf /tmp/out.tgz " + name)
    # ruleid: py-command-injection
    subprocess.run(f"git log {name}", shell=True, check=True)
    # ok: py-command-injection
    subprocess.run(["git", "log", name], check=True)
    # ok: py-command-injection
    os.system("uptime")
