"""mTLS handshakes with Python's stdlib ssl, set up as the gateway's runtime does.

Plugin server side (uvicorn): SSLContext(PROTOCOL_TLS_SERVER), load_cert_chain,
load_verify_locations, verify_mode = CERT_REQUIRED. Gateway client side:
create_default_context(cafile=...), load_cert_chain, check_hostname.

Encrypted keys load with the case's server_key_password / client_key_password,
as the runtime passes PLUGINS_*_KEYFILE_PASSWORD to load_cert_chain.

Reads a JSON list of cases on stdin and prints one JSON object per case:
{"name": ..., "ok": bool, "error": "..."}. A case is ok only when the client
got the server's echo back, so a client certificate the server refuses after a
TLS 1.3 handshake still counts as refused.
"""
import json
import socket
import ssl
import sys
import threading


def serve(listener, ctx, result):
    try:
        conn, _ = listener.accept()
        conn.settimeout(10)
        with ctx.wrap_socket(conn, server_side=True) as tls:
            tls.sendall(tls.recv(4))
    except (OSError, ssl.SSLError) as err:
        result["server_error"] = str(err)


def run(case):
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(case["server_cert"], case["server_key"], case.get("server_key_password"))
    server.load_verify_locations(case["server_ca"])
    server.verify_mode = ssl.CERT_REQUIRED

    client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=case["client_ca"])
    client.check_hostname = case["check_hostname"]
    if case.get("client_cert"):
        client.load_cert_chain(case["client_cert"], case["client_key"], case.get("client_key_password"))

    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    result = {"name": case["name"], "ok": False}
    thread = threading.Thread(target=serve, args=(listener, server, result))
    thread.start()
    try:
        with socket.create_connection(listener.getsockname(), timeout=10) as raw:
            with client.wrap_socket(raw, server_hostname=case["server_hostname"]) as tls:
                tls.sendall(b"ping")
                result["ok"] = tls.recv(4) == b"ping"
    except (OSError, ssl.SSLError) as err:
        result["error"] = str(err)
    thread.join()
    listener.close()
    return result


for case in json.load(sys.stdin):
    try:
        result = run(case)
    except (OSError, ssl.SSLError) as err:  # a key that does not load
        result = {"name": case["name"], "ok": False, "error": "load: %s" % err}
    print(json.dumps(result), flush=True)
