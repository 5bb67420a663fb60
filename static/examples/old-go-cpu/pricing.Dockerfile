FROM golang:1.21 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/pricing ./cmd/pricing

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pricing /pricing
USER 65532:65532
ENTRYPOINT ["/pricing"]
