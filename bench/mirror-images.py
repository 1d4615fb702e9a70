#!/usr/bin/env python3
"""Writes the mirror benchmark's images into one OCI layout, as a mirror list holds them.

Usage: bench/mirror-images.py DIR IMAGES [PLATFORMS] [BASES] [BASE_KIB] [OWN_KIB]

IMAGES images tagged img1..imgN, each an OCI index of PLATFORMS platforms (default 3:
linux/amd64, linux/arm64, linux/arm/v7). Each platform's manifest has two layers: a base layer
shared with the other images of its family (BASES families, default 4, chosen round the images;
BASE_KIB each, default 2048), as images built FROM one base share it, and a layer of its own
(OWN_KIB, default 512). Layers are random bytes (registries and copiers do not look inside);
configs and manifests are real JSON. Written once, read by skopeo to fill the source registry
and by curl for the registries' write floor.
"""
import hashlib
import json
import os
import sys

ALL_PLATFORMS = [("linux", "amd64", None), ("linux", "arm64", None), ("linux", "arm", "v7")]
LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def main():
    root = sys.argv[1]
    images = int(sys.argv[2])
    platforms = ALL_PLATFORMS[: int(sys.argv[3]) if len(sys.argv) > 3 else 3]
    bases = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    base_kib = int(sys.argv[5]) if len(sys.argv) > 5 else 2048
    own_kib = int(sys.argv[6]) if len(sys.argv) > 6 else 512
    blobs = os.path.join(root, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)

    parts = set()

    def put(data, media_type):
        digest = hashlib.sha256(data).hexdigest()
        path = os.path.join(blobs, digest)
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
        if "layer" in media_type or "config" in media_type:
            parts.add("sha256:" + digest)
        return {"mediaType": media_type, "digest": "sha256:" + digest, "size": len(data)}

    def canonical(value):
        return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()

    base_layers = {(b, p): put(os.urandom(base_kib * 1024), LAYER) for b in range(bases) for p in range(len(platforms))}
    tags = []
    for i in range(1, images + 1):
        entries = []
        for p, (os_name, arch, variant) in enumerate(platforms):
            base = base_layers[((i - 1) % bases, p)]
            own = put(os.urandom(own_kib * 1024), LAYER)
            config = {"architecture": arch, "os": os_name, "config": {"Labels": {"bench.image": str(i)}},
                      "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(base["digest"].encode()).hexdigest(),
                                                                "sha256:" + hashlib.sha256(own["digest"].encode()).hexdigest()]}}
            if variant:
                config["variant"] = variant
            manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                        "config": put(canonical(config), "application/vnd.oci.image.config.v1+json"),
                        "layers": [base, own]}
            entry = put(canonical(manifest), "application/vnd.oci.image.manifest.v1+json")
            entry["platform"] = {"architecture": arch, "os": os_name, **({"variant": variant} if variant else {})}
            entries.append(entry)
        index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries}
        top = put(canonical(index), "application/vnd.oci.image.index.v1+json")
        top["annotations"] = {"org.opencontainers.image.ref.name": "img%d" % i}
        tags.append(top)
    with open(os.path.join(root, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": tags}, f)
    with open(os.path.join(root, "blobs.txt"), "w") as f:  # every layer and config, once: what a mirror writes per registry
        f.write("".join(d + "\n" for d in sorted(parts)))
    with open(os.path.join(root, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)


if __name__ == "__main__":
    main()
