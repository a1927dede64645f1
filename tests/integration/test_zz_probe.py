import sys
sys.path.insert(0, "/work/main/tests/integration")
from test_api_handler import *  # noqa

def test_probe(call):
    created = submit(call)
    r = call("PATCH", f"/v1/complaints/{created['id']}", {"category": None, "version": 1}, claims=AGENT)
    print(r.status, r.body)
    r = call("PATCH", f"/v1/complaints/{created['id']}", {"priority": None, "version": 1}, claims=AGENT)
    print(r.status, r.body)
