"""Reads a config file as the gateway's loader reads it: open() as UTF-8 with
universal newlines, Jinja2's SandboxedEnvironment(autoescape=True) rendering
with env (a JSON object in argv[2]), then yaml.safe_load; prints the document
as JSON for the Go tests to compare."""
import json
import sys

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment

with open(sys.argv[1], "r", encoding="utf-8") as f:
    text = f.read()
rendered = SandboxedEnvironment(loader=jinja2.BaseLoader(), autoescape=True).from_string(text).render(env=json.loads(sys.argv[2]))
json.dump(yaml.safe_load(rendered), sys.stdout, default=str)
