"""Loads YAML from stdin as the gateway's loader does (yaml.safe_load) and
prints it as JSON, for the Go tests to compare field by field."""
import json
import sys

import yaml

json.dump(yaml.safe_load(sys.stdin.read()), sys.stdout, default=str)
