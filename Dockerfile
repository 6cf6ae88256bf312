# syntax=docker/dockerfile:1
# Multi-stage build: a static newsroom binary in a minimal image, run as a non-root user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/newsroom ./cmd/newsroom \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/newsroom /usr/local/bin/newsroom
COPY --from=build --chown=65532:65532 /out/data /data
COPY configs/newsroom.yaml /etc/newsroom/newsroom.yaml
WORKDIR /data
USER 65532:65532
ENV NEWSROOM_HTTP_ADDR=0.0.0.0:8080 \
    NEWSROOM_DATABASE_URL=/data/newsroom.db \
    NEWSROOM_LOG_FORMAT=json
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/newsroom"]
CMD ["serve"]
