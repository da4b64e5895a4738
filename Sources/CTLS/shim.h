// OpenSSL (Debian's libssl-dev) for TLS on the event loop, plus inline
// helpers for what does not import cleanly into Swift: function-like macros
// (SSL_CTX_set_min_proto_version, SSL_CTX_set_mode…), callbacks that must be
// C functions (ALPN selection, client-certificate acceptance) and the
// self-signed certificate recipe. Header-only, as a system-library target
// compiles nothing.
#ifndef CTLS_SHIM_H
#define CTLS_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

/// SSL_get_error's answers, as plain ints for Swift.
static inline int ctls_error_none(void) { return SSL_ERROR_NONE; }
static inline int ctls_error_want_read(void) { return SSL_ERROR_WANT_READ; }
static inline int ctls_error_want_write(void) { return SSL_ERROR_WANT_WRITE; }
static inline int ctls_error_zero_return(void) { return SSL_ERROR_ZERO_RETURN; }
static inline int ctls_error_syscall(void) { return SSL_ERROR_SYSCALL; }
static inline int ctls_error_ssl(void) { return SSL_ERROR_SSL; }

/// A server context: TLS 1.2 minimum, no renegotiation, session tickets on,
/// a write buffer that may move between retries (our queue is re-gathered on
/// every flush), and buffers released while a connection is idle. No partial
/// writes: SSL_write then sends every record of the region in one call (with
/// them, it returns after each 16 KB record). NULL on failure.
static inline SSL_CTX *ctls_server_context_new(void) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL) return NULL;
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) { SSL_CTX_free(ctx); return NULL; }
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
    SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
    static const unsigned char sid[] = "chatd";
    SSL_CTX_set_session_id_context(ctx, sid, sizeof(sid) - 1);
    return ctx;
}

/// A client context for tests and tools: TLS 1.2 minimum, no verification
/// unless asked (self-signed servers on loopback).
static inline SSL_CTX *ctls_client_context_new(void) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL) return NULL;
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return ctx;
}

static int ctls_accept_any_certificate(int preverify, X509_STORE_CTX *store) {
    (void)preverify; (void)store;
    // CertFP: the certificate is an identity matched by its fingerprint, not
    // a chain to a CA; self-signed client certificates are the norm.
    return 1;
}

/// Asks clients for a certificate without requiring one, and accepts any.
static inline void ctls_request_client_certificate(SSL_CTX *ctx) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE, ctls_accept_any_certificate);
}

/// ALPN: the wire list (length-prefixed names) is kept as the callback's
/// argument; the server picks its first preference the client offers. No
/// overlap is not an error: the client may not speak ALPN at all (IRC).
static int ctls_alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                            const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl;
    const unsigned char *server = (const unsigned char *)arg;
    unsigned int serverLength = server[0] | (server[1] << 8);
    const unsigned char *list = server + 2;
    unsigned char *selected = NULL;
    if (SSL_select_next_proto((unsigned char **)&selected, outlen, list, serverLength, in, inlen) == OPENSSL_NPN_NEGOTIATED) {
        *out = selected;
        return SSL_TLSEXT_ERR_OK;
    }
    return SSL_TLSEXT_ERR_NOACK;
}

/// `wire` is a 2-byte little-endian length followed by the ALPN list; it
/// must live as long as the context.
static inline void ctls_set_alpn_protocols(SSL_CTX *ctx, const unsigned char *wire) {
    SSL_CTX_set_alpn_select_cb(ctx, ctls_alpn_select, (void *)wire);
}

static inline long ctls_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

/// The peer's certificate (NULL if none); the caller frees it.
static inline X509 *ctls_peer_certificate(SSL *ssl) {
    return SSL_get1_peer_certificate(ssl);
}

/// SHA-256 of a certificate's DER form into `out` (32 bytes); 1 on success.
static inline int ctls_certificate_sha256(X509 *cert, unsigned char *out) {
    unsigned int length = 0;
    return X509_digest(cert, EVP_sha256(), out, &length) == 1 && length == 32;
}

/// Reads the first certificate of a PEM file; NULL if none.
static inline X509 *ctls_read_certificate_file(const char *path) {
    FILE *file = fopen(path, "r");
    if (file == NULL) return NULL;
    X509 *cert = PEM_read_X509(file, NULL, NULL, NULL);
    fclose(file);
    return cert;
}

/// Writes a self-signed ECDSA P-256 certificate for `common_name` (also its
/// DNS subjectAltName), valid for `days`, with its key; the key file is
/// created mode 0600. 1 on success, 0 on failure (OpenSSL's error queue or
/// errno says why).
static inline int ctls_write_self_signed(const char *common_name, int days,
                                         const char *cert_path, const char *key_path) {
    int ok = 0;
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = X509_new();
    FILE *keyFile = NULL, *certFile = NULL;
    if (key == NULL || cert == NULL) goto done;
    X509_set_version(cert, 2);
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof(serial)) != 1) goto done;
    serial[0] &= 0x7f;
    BIGNUM *bn = BN_bin2bn(serial, sizeof(serial), NULL);
    if (bn == NULL) goto done;
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), (long)days * 86400L);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert, cert, NULL, NULL, 0);
    char san[300];
    snprintf(san, sizeof(san), "DNS:%s", common_name);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
    if (ext == NULL) goto done;
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    if (X509_sign(cert, key, EVP_sha256()) == 0) goto done;
    int keyFD = open(key_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (keyFD < 0) goto done;
    keyFile = fdopen(keyFD, "w");
    if (keyFile == NULL) { close(keyFD); goto done; }
    if (PEM_write_PrivateKey(keyFile, key, NULL, NULL, 0, NULL, NULL) != 1) goto done;
    certFile = fopen(cert_path, "w");
    if (certFile == NULL) goto done;
    if (PEM_write_X509(certFile, cert) != 1) goto done;
    ok = 1;
done:
    if (keyFile != NULL && fclose(keyFile) != 0) ok = 0;
    if (certFile != NULL && fclose(certFile) != 0) ok = 0;
    X509_free(cert);
    EVP_PKEY_free(key);
    return ok;
}

#endif
