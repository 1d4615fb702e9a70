/**
 * The port to external image builders ({@code buildah}, {@code docker buildx}): a Dockerfile, its
 * context, target, build args and platform in ({@link dev.cutter.build.ImageBuilder.Request}), an
 * OCI layout out. Also what Cutter reads of a Dockerfile itself ({@link dev.cutter.build.Dockerfile}:
 * its declared build args, base images and {@code RUN} steps) and whether this machine can run a
 * platform's programs ({@link dev.cutter.build.Emulation}). Programs run through
 * {@link dev.cutter.process.ProcessRunner}.
 */
package dev.cutter.build;
