# The non-runtime images (minimal, gpu, python, standard…): the base with the image type's identity file.
ARG BASE
FROM ${BASE}
ARG IMAGE
COPY ${IMAGE} /etc/dbx-base
LABEL com.databricks.image-type="${IMAGE}"
