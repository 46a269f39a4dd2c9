#include "llhttp.h"
#include <stdio.h>
#include <string.h>
#include <time.h>
static const char req[] = "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:18111\r\nContent-Length: 21\r\nContent-Type: application/json\r\nAccept: application/graphql-response+json, application/json\r\n\r\n{\"query\":\"{ hello }\"}";
static size_t acc;
static int cb(llhttp_t *p, const char *a, size_t n) { (void)p; acc += n + (size_t)a[0]; return 0; }
static int cb0(llhttp_t *p) { (void)p; acc++; return 0; }
int main(void) {
  llhttp_settings_t s; llhttp_settings_init(&s);
  s.on_url = cb; s.on_header_field = cb; s.on_header_value = cb; s.on_body = cb; s.on_headers_complete = cb0; s.on_message_complete = cb0;
  llhttp_t p; llhttp_init(&p, HTTP_REQUEST, &s);
  struct timespec a, b; clock_gettime(CLOCK_MONOTONIC, &a);
  int N = 5000000;
  for (int i = 0; i < N; i++) { llhttp_errno_t e = llhttp_execute(&p, req, sizeof req - 1); if (e != HPE_OK) { printf("err %s\n", llhttp_get_error_reason(&p)); return 1; } }
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("llhttp %.1f ns/req (%zu)\n", ((b.tv_sec-a.tv_sec)*1e9+(b.tv_nsec-a.tv_nsec))/N, acc);
}
