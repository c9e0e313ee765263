"""A gRPC server and client set up as the gateway's plugin framework (cpex
0.1.x) sets them up, for mcptls's peer tests.

Server (external/grpc/tls_utils.py create_server_credentials):
  grpc.ssl_server_credentials([(key, cert)], root_certificates=ca,
                              require_client_auth=(client_auth == "require"))
Client (external/grpc/tls_utils.py create_channel_credentials):
  grpc.ssl_channel_credentials(root_certificates=ca, private_key=key,
                               certificate_chain=cert)
Reads a JSON list of rows on stdin, prints a JSON list of results.
"""
import json
import sys
from concurrent import futures

import grpc

SERVICE, METHOD = "mcptls.Probe", "Echo"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def serve(row):
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    handler = grpc.unary_unary_rpc_method_handler(lambda request, context: request)
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, {METHOD: handler}),))
    creds = grpc.ssl_server_credentials(
        [(read(row["server_key"]), read(row["server_cert"]))],
        root_certificates=read(row["server_ca"]),
        require_client_auth=row["client_auth"] == "require",
    )
    port = server.add_secure_port("127.0.0.1:0", creds)
    server.start()
    return server, port


def call(row, port):
    key = cert = None
    if row.get("client_cert"):
        key, cert = read(row["client_key"]), read(row["client_cert"])
    creds = grpc.ssl_channel_credentials(root_certificates=read(row["client_ca"]), private_key=key, certificate_chain=cert)
    target = row.get("target") or "%s:PORT" % row["host"]
    with grpc.secure_channel(target.replace("PORT", str(port)), creds) as channel:
        echo = channel.unary_unary("/%s/%s" % (SERVICE, METHOD))
        return echo(b"ping", timeout=5, wait_for_ready=False)


def main():
    results = []
    for row in json.load(sys.stdin):
        server, port = serve(row)
        try:
            ok = call(row, port) == b"ping"
            results.append({"name": row["name"], "ok": ok, "error": ""})
        except grpc.RpcError as e:
            results.append({"name": row["name"], "ok": False, "error": "%s: %s" % (e.code(), e.details())})
        finally:
            server.stop(0)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
