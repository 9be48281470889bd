import pickle

import yaml


def load_session(blob: bytes, text: str):
    # ruleid: py-unsafe-deserialization
    session = pickle.loads(blob)
    # ruleid: py-unsafe-deserialization
    config = yaml.load(text, Loader=yaml.Loader)
    # ok: py-unsafe-deserialization
    safe = yaml.load(text, Loader=yaml.SafeLoader)
    # ok: py-unsafe-deserialization
    also_safe = yaml.safe_load(text)
    return session, config, safe, also_safe
