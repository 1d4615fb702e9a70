module github.com/confidential-containers/cloud-api-adaptor/src/csi-wrapper

go 1.22

require github.com/kata-containers/kata-containers/src/runtime v0.0.0-20240101000000-abcdefabcdef
