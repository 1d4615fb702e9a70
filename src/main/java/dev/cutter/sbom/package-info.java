/**
 * Software bills of materials: what an image platform, an archive or a package contains (the files
 * Cutter put there, by digest, and the OS packages its package databases list), written as
 * CycloneDX 1.6 and SPDX 2.3 JSON. Layers and archives are read once, as a stream; nothing here
 * knows about plans or runs.
 */
package dev.cutter.sbom;
