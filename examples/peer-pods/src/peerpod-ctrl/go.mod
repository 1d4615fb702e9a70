module github.com/confidential-containers/cloud-api-adaptor/src/peerpod-ctrl

go 1.22
