FROM alpine:3.22
# ruleid: dockerfile-add-remote-url
ADD https://example.com/tool.tar.gz /opt/
# ok: dockerfile-add-remote-url
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/
# ok: dockerfile-add-remote-url
ADD local.tar.gz /opt/
