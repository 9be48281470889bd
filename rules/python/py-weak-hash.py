import hashlib


def token_digest(token: bytes) -> str:
    # ruleid: py-weak-hash
    return hashlib.md5(token).hexdigest()


def cache_key(data: bytes) -> str:
    # ok: py-weak-hash
    return hashlib.md5(data, usedforsecurity=False).hexdigest()
