FROM python:3.13-slim
# ruleid: dockerfile-secret-in-env
ENV DB_PASSWORD=hunter2hunter2
# ok: dockerfile-secret-in-env
ARG NPM_TOKEN
# ok: dockerfile-secret-in-env
ENV API_TOKEN_FILE_PATH=$TOKEN_PATH
# ok: dockerfile-secret-in-env
ENV APP_PORT=8080
