#!/usr/bin/env python3
"""A local RFC 3161 timestamping authority on 127.0.0.1, for tests.

Makes a throwaway CA and a TSA certificate with `openssl`, then answers each POSTed
TimeStampReq with `openssl ts -reply`. Prints one line, `ready PORT CA_PEM`, once it listens;
runs until killed. Nothing here talks to anything but 127.0.0.1.
"""
import http.server
import os
import subprocess
import sys
import tempfile

CONF = """
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = nightjar test
[ tsa_ext ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
[ ca_ext ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = {dir}/serial
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def run(*args, cwd):
    subprocess.run(args, cwd=cwd, check=True, capture_output=True)


def main():
    work = tempfile.mkdtemp(prefix="nightjar-tsa-")
    with open(os.path.join(work, "tsa.cnf"), "w") as f:
        f.write(CONF.format(dir=work))
    with open(os.path.join(work, "serial"), "w") as f:
        f.write("01\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    run("openssl", "req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=nightjar test TSA CA", "-config", "tsa.cnf", "-extensions", "ca_ext", cwd=work)
    run("openssl", "req", *ec, "-keyout", "tsa.key", "-out", "tsa.csr",
        "-subj", "/CN=nightjar test TSA", "-config", "tsa.cnf", cwd=work)
    run("openssl", "x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "tsa.crt", "-days", "2", "-extfile", "tsa.cnf",
        "-extensions", "tsa_ext", cwd=work)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with tempfile.TemporaryDirectory(dir=work) as d:
                q, r = os.path.join(d, "q.tsq"), os.path.join(d, "r.tsr")
                with open(q, "wb") as f:
                    f.write(query)
                done = subprocess.run(
                    ["openssl", "ts", "-reply", "-config", "tsa.cnf", "-queryfile", q,
                     "-signer", "tsa.crt", "-inkey", "tsa.key", "-out", r],
                    cwd=work, capture_output=True)
                if done.returncode != 0 or not os.path.exists(r):
                    self.send_response(400)
                    self.end_headers()
                    return
                with open(r, "rb") as f:
                    body = f.read()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    print(f"ready {server.server_address[1]} {os.path.join(work, 'ca.pem')}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
