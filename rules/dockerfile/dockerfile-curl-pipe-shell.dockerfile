FROM debian:12-slim
# ruleid: dockerfile-curl-pipe-shell
RUN curl -fsSL https://example.com/install.sh | bash
# ok: dockerfile-curl-pipe-shell
RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh && echo "abc  /tmp/install.sh" | sha256sum -c
