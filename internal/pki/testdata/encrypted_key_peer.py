"""Encrypted PKCS#8 keys in Python's stdlib ssl, used as the gateway does.

Reads a JSON list of cases on stdin and prints one JSON object per case:
{"name": ..., "ok": bool, "error": "...", "server_error": "..."}.

- {"op": "load", "cert", "key", "password"}: ssl.SSLContext.load_cert_chain(cert,
  key, password), the call both the gateway and the plugin runtime make.
- {"op": "handshake", ...}: mTLS between a plugin server set up as the runtime
  does (SSLContext(PROTOCOL_TLS_SERVER), load_cert_chain with the password,
  load_verify_locations(ca), verify_mode = CERT_REQUIRED) and a gateway client
  (create_default_context(cafile=ca), load_cert_chain(cert, key, password)).
  ok only when the client got the server's echo back, so a client certificate
  the server refuses after a TLS 1.3 handshake counts as refused.
"""
import json
import socket
import ssl
import sys
import threading


def load(case):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(case["cert"], case["key"], case["password"])


def serve(listener, ctx, result):
    try:
        conn, _ = listener.accept()
        conn.settimeout(10)
        with ctx.wrap_socket(conn, server_side=True) as tls:
            tls.sendall(tls.recv(4))
    except (OSError, ssl.SSLError) as err:
        result["server_error"] = str(err)


def handshake(case, result):
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(case["server_cert"], case["server_key"], case["server_password"])
    server.load_verify_locations(case["ca"])
    server.verify_mode = ssl.CERT_REQUIRED

    client = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=case["ca"])
    if case.get("client_cert"):
        client.load_cert_chain(case["client_cert"], case["client_key"], case["client_password"])

    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    thread = threading.Thread(target=serve, args=(listener, server, result))
    thread.start()
    try:
        with socket.create_connection(listener.getsockname(), timeout=10) as raw:
            with client.wrap_socket(raw, server_hostname=case["server_hostname"]) as tls:
                tls.sendall(b"ping")
                if tls.recv(4) != b"ping":
                    raise OSError("no echo from the server")
    finally:
        thread.join()
        listener.close()


def run(case):
    result = {"name": case["name"], "ok": False}
    try:
        if case["op"] == "load":
            load(case)
        else:
            handshake(case, result)
        result["ok"] = True
    except (OSError, ssl.SSLError, ValueError) as err:
        result["error"] = "%s: %s" % (type(err).__name__, err)
    return result


for case in json.load(sys.stdin):
    print(json.dumps(run(case)), flush=True)
