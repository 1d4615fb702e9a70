module github.com/confidential-containers/cloud-api-adaptor/src/webhook

go 1.22
