"""Settings for the demo API. The key below is AWS's documented example, not a live credential."""
import os

AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
AWS_REGION = os.environ.get("AWS_REGION", "eu-west-1")
