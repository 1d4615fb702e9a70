import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A copy of a jar whose class files older than Java 6 (class-file major version below 50), under
 * the given package prefixes, are written again as Java 8 class files (52) with stack map frames,
 * their code unchanged.
 *
 * <p>Why: the JVM's class-data archive keeps no linked class it could not verify again with the
 * type-checking verifier (HotSpot's {@code InstanceKlass::can_be_verified_at_dumptime}: major
 * version 50 or above, and the same of its supertypes); such a class is left out ("Old class has
 * been linked") and is read from the jar, parsed and verified by the old verifier at every start.
 * picocli ships Java 5 class files, and Cutter loads about 140 of them on every command.
 *
 * <p>Every other entry is copied as it is, in the same order with the same times, so the copy is
 * as reproducible as the jar. Runs with the jar itself on the class path: ASM comes from it (Jetty
 * uses it), and the frames' common supertypes are looked up there.
 *
 * <p>Usage: {@code java -cp IN.jar packaging/ArchivableClasses.java IN.jar OUT.jar PREFIX...}
 * (prefixes as entry names start, e.g. {@code picocli/}); prints how many classes it rewrote.
 */
public final class ArchivableClasses {
    private ArchivableClasses() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: ArchivableClasses IN.jar OUT.jar PREFIX...");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<String> prefixes = List.of(args).subList(2, args.length);
        int rewritten = 0;
        List<String> jsr = new ArrayList<>();
        try (JarFile jar = new JarFile(in.toFile(), false);
                OutputStream file = Files.newOutputStream(out);
                ZipOutputStream copy = new ZipOutputStream(file)) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                byte[] bytes;
                try (InputStream data = jar.getInputStream(entry)) {
                    bytes = data.readAllBytes();
                }
                if (entry.getName().endsWith(".class") && prefixes.stream().anyMatch(entry.getName()::startsWith)
                        && majorVersion(bytes) < Opcodes.V1_6) {
                    if (hasSubroutines(bytes)) {
                        jsr.add(entry.getName());
                        continue;
                    }
                    bytes = asJava8(bytes);
                    rewritten++;
                }
                ZipEntry written = new ZipEntry(entry.getName());
                written.setTime(entry.getTime());
                if (entry.getExtra() != null) {
                    written.setExtra(entry.getExtra());
                }
                copy.putNextEntry(written);
                copy.write(bytes);
                copy.closeEntry();
            }
        }
        if (!jsr.isEmpty()) {
            // jsr/ret have no place in a class file of version 51 or above; none are expected
            Files.delete(out);
            System.err.println("ArchivableClasses: these classes use jsr/ret and cannot be written as Java 8: " + jsr);
            System.exit(1);
        }
        System.out.println(rewritten);
    }

    static int majorVersion(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    /** The class with version 52 and frames computed from its code; everything else as read. */
    static byte[] asJava8(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    static boolean hasSubroutines(byte[] classFile) {
        boolean[] found = {false};
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitJumpInsn(int opcode, org.objectweb.asm.Label label) {
                        found[0] |= opcode == Opcodes.JSR;
                    }

                    @Override
                    public void visitVarInsn(int opcode, int varIndex) {
                        found[0] |= opcode == Opcodes.RET;
                    }
                };
            }
        }, ClassReader.SKIP_FRAMES);
        return found[0];
    }
}
