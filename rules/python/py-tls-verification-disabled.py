import requests


def fetch(url):
    # ruleid: py-tls-verification-disabled
    insecure = requests.get(url, timeout=5, verify=False)
    # ok: py-tls-verification-disabled
    secure = requests.get(url, timeout=5)
    return insecure, secure
