module github.com/confidential-containers/cloud-api-adaptor/src/cloud-providers

go 1.22
