#!/usr/bin/env bash
# Makes the certificates of the mutual-TLS tests in DIR with Debian's
# openssl, at test time, so that no private key is ever committed:
#   ca.pem            the CA servers trust for clients and clients for servers
#   server.pem/.key   127.0.0.1 and localhost, signed by ca
#   client.pem/.key   CN=auditor-1, signed by ca
#   expired.pem/.key  CN=auditor-1, signed by ca, notAfter a day ago
#   stranger.pem/.key CN=auditor-1, signed by another CA
set -euo pipefail
dir=$1
cd "$dir"
quiet() { "$@" >/dev/null 2>&1; }

ca() {  # NAME
  quiet openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" \
    -out "$1.pem" -days 2 -subj "/CN=$1"
}
leaf() {  # NAME CN CA DAYS [EXTFILE]
  quiet openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" \
    -subj "/CN=$2"
  quiet openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" \
    -CAcreateserial -out "$1.pem" -days "$4" ${5:+-extfile "$5"}
}

ca ca
ca other-ca
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > server.ext
leaf server localhost ca 2 server.ext
leaf client auditor-1 ca 2
leaf expired auditor-1 ca -1
leaf stranger auditor-1 other-ca 2
