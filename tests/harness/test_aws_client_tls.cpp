// HTTPS as the client does it for real endpoints: certificates verified (an unknown issuer or a
// wrong host name fails), SNI sent, against a local Python TLS server using a certificate this
// test makes with OpenSSL.
#include "harness/aws/client/aws_client.hpp"
#include "harness/aws/client/http_client.hpp"
#include "test_aws_client_process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;

// Writes a self-signed certificate for DNS name `host` and its key (PEM) into `dir`.
void make_certificate(const fs::path& dir, const std::string& host)
{
  EVP_PKEY* key = EVP_RSA_gen(2048);
  REQUIRE(key);
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(host.c_str()), -1, -1,
                             0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  for (const auto& [nid, value] : std::vector<std::pair<int, std::string>>{
           {NID_subject_alt_name, "DNS:" + host}, {NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    REQUIRE(ext);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  REQUIRE(X509_sign(x, key, EVP_sha256()) > 0);
  FILE* f = std::fopen((dir / "cert.pem").c_str(), "w");
  PEM_write_X509(f, x);
  std::fclose(f);
  f = std::fopen((dir / "key.pem").c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(x);
  EVP_PKEY_free(key);
}

// A threaded HTTPS server answering every POST with the SNI name it was sent; exits after 60 s.
const char* kServer = R"(
import http.server, json, ssl, sys, threading, time
seen = {'sni': None}
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
ctx.sni_callback = lambda sock, name, c: seen.update(sni=name)
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        body = json.dumps({'Sni': seen['sni'], 'Host': self.headers['Host']}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/x-amz-json-1.1')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print('tls server on port', srv.server_address[1], flush=True)
threading.Thread(target=srv.serve_forever, daemon=True).start()
time.sleep(60)
)";

struct TlsFixture {
  fs::path dir;
  std::unique_ptr<migsim::test::ChildProcess> server;
  unsigned short port = 0;
  TlsFixture()
  {
    char tmpl[] = "/tmp/migsim_tls_XXXXXX";
    dir = ::mkdtemp(tmpl);
    make_certificate(dir, "localhost");
    std::ofstream(dir / "server.py") << kServer;
    server = std::make_unique<migsim::test::ChildProcess>(std::vector<std::string>{
        "python3", (dir / "server.py").string(), (dir / "cert.pem").string(), (dir / "key.pem").string()});
    const auto m = server->wait_for(R"(tls server on port (\d+))", 20);
    INFO(server->log());
    REQUIRE(m.size() == 2);
    port = static_cast<unsigned short>(std::stoi(m[1]));
  }
  ~TlsFixture()
  {
    server.reset();
    fs::remove_all(dir);
  }
};

std::string post(const migsim::aws::HttpClientOptions& opt, const std::string& url)
{
  migsim::aws::HttpClient client(opt);
  const auto u = migsim::aws::parse_url(url);
  return client.send(u, "POST", "/", {{"Host", u.host_header()}}, "{}").body;
}

}  // namespace

TEST_CASE("aws client: https verifies the certificate and sends SNI")
{
  TlsFixture f;
  const auto url = "https://localhost:" + std::to_string(f.port);
  // Unknown issuer: the system store does not trust the test certificate.
  try {
    post({}, url);
    FAIL("an untrusted certificate was accepted");
  } catch (const migsim::aws::HttpTransportError& e) {
    CHECK(e.kind == "TlsError");
    CHECK(std::string(e.what()).find("certificate") != std::string::npos);
  }
  // Trusted through ca_file: the handshake succeeds and the server saw SNI "localhost".
  migsim::aws::HttpClientOptions trusted;
  trusted.ca_file = (f.dir / "cert.pem").string();
  const auto body = nlohmann::json::parse(post(trusted, url));
  CHECK(body["Sni"] == "localhost");
  CHECK(body["Host"] == "localhost:" + std::to_string(f.port));
  // Same trusted certificate, wrong name (it is for "localhost", not 127.0.0.1).
  try {
    post(trusted, "https://127.0.0.1:" + std::to_string(f.port));
    FAIL("a certificate for another host name was accepted");
  } catch (const migsim::aws::HttpTransportError& e) {
    CHECK(e.kind == "TlsError");
  }
  // Verification off (for self-signed test endpoints) accepts it.
  migsim::aws::HttpClientOptions insecure;
  insecure.verify_tls = false;
  CHECK(nlohmann::json::parse(post(insecure, "https://127.0.0.1:" + std::to_string(f.port)))["Sni"].is_null());
}
