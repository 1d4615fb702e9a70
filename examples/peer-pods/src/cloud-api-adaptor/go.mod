module github.com/confidential-containers/cloud-api-adaptor/src/cloud-api-adaptor

go 1.22

require (
	github.com/confidential-containers/cloud-api-adaptor/src/cloud-providers v0.0.0
	github.com/kata-containers/kata-containers/src/runtime v0.0.0-20240101000000-abcdefabcdef
)

replace github.com/confidential-containers/cloud-api-adaptor/src/cloud-providers => ../cloud-providers
