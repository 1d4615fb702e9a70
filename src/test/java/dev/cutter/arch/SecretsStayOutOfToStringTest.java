package dev.cutter.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A record's generated {@code toString} prints every component, so a record holding a secret
 * value (an environment, a password, a token) in text would print it into any message, log line
 * or exception that names the record. Each such record says what it holds without it.
 */
class SecretsStayOutOfToStringTest {
    /** Component names that hold secret values when they hold text. */
    private static final Pattern SECRET = Pattern.compile("env|environment|password|secret|token|identityToken|[a-z]+Secret");

    /**
     * Records whose text is no secret: a plan's actions hold secret references only ({@code ${env:…}},
     * resolved when a job runs) and are written to the ledger as they are; an image config's
     * environment is published with the image.
     */
    private static final Set<String> EXEMPT_PACKAGES = Set.of("dev.cutter.plan");
    private static final Set<String> EXEMPT = Set.of("dev.cutter.oci.ImageConfig");

    @Test
    void everyRecordHoldingASecretDeclaresAToStringWithoutIt() throws Exception {
        List<String> printing = new ArrayList<>();
        for (JavaClass javaClass : LayeringTest.CLASSES) {
            Class<?> type = javaClass.reflect();
            if (!type.isRecord() || EXEMPT.contains(type.getName()) || EXEMPT_PACKAGES.contains(type.getPackageName())) {
                continue;
            }
            for (RecordComponent component : type.getRecordComponents()) {
                if (SECRET.matcher(component.getName()).matches() && text(component.getGenericType())
                        && !declaresToString(type)) {
                    printing.add(type.getName() + "." + component.getName());
                }
            }
        }
        assertThat(printing).as("records whose toString would print a secret").isEmpty();
    }

    @Test
    void theRecordsThatHoldSecretsShowNone() {
        Map<String, String> environment = Map.of("GITHUB_TOKEN", "ghp_s3cret");
        List<Object> holders = List.of(new dev.cutter.app.Services(environment, java.time.Clock.systemUTC(), java.nio.file.Path.of(".")),
                dev.cutter.process.Command.of(List.of("git", "push"), java.time.Duration.ofSeconds(5)).with(environment).input("ghp_s3cret"),
                new dev.cutter.spec.Template.ShellCommand("make", environment),
                new dev.cutter.server.Server.Config("127.0.0.1", 0, "postgresql://cutter:ghp_s3cret@db/cutter", List.of(java.nio.file.Path.of("c.yaml")),
                        Optional.of("ghp_s3cret"), Optional.empty(), environment));
        assertThat(holders).allSatisfy(holder -> assertThat(holder.toString()).doesNotContain("ghp_s3cret").contains("["));
    }

    /** Text, or text in an Optional, a Map's values or a List. */
    private static boolean text(Type type) {
        if (type == String.class || type == char[].class || type == byte[].class) {
            return true;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw
                && (raw == Optional.class || Map.class.isAssignableFrom(raw) || List.class.isAssignableFrom(raw))) {
            Type[] arguments = p.getActualTypeArguments();
            return text(arguments[arguments.length - 1]);
        }
        return false;
    }

    /**
     * Whether the record's source declares {@code toString}: the one the compiler writes for a
     * record is an invokedynamic of {@code ObjectMethods.bootstrap}, which prints every component.
     */
    private static boolean declaresToString(Class<?> type) throws java.io.IOException {
        boolean[] generated = {false};
        try (java.io.InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
            new org.objectweb.asm.ClassReader(in.readAllBytes()).accept(new org.objectweb.asm.ClassVisitor(org.objectweb.asm.Opcodes.ASM9) {
                @Override
                public org.objectweb.asm.MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    if (!name.equals("toString") || !descriptor.equals("()Ljava/lang/String;")) {
                        return null;
                    }
                    return new org.objectweb.asm.MethodVisitor(org.objectweb.asm.Opcodes.ASM9) {
                        @Override
                        public void visitInvokeDynamicInsn(String indyName, String indyDescriptor, org.objectweb.asm.Handle bootstrap,
                                Object... arguments) {
                            generated[0] |= bootstrap.getOwner().equals("java/lang/runtime/ObjectMethods");
                        }
                    };
                }
            }, org.objectweb.asm.ClassReader.SKIP_DEBUG);
        }
        return !generated[0];
    }
}
