package dev.cutter.repo.remote;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import com.jcraft.jsch.SftpStatVFS;
import com.jcraft.jsch.UserInfo;
import dev.cutter.content.CountingInputStream;
import dev.cutter.repo.remote.SyncException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link RemoteFs} over one SSH connection and one SFTP channel, with JSch. Not thread-safe: one per worker. */
final class JschRemoteFs implements RemoteFs {
    static final String POSIX_RENAME = "posix-rename@openssh.com";

    private final SftpTarget target;
    private final Session session;
    private final ChannelSftp sftp;
    private final boolean atomicRename;

    private JschRemoteFs(SftpTarget target, Session session, ChannelSftp sftp) {
        this.target = target;
        this.session = session;
        this.sftp = sftp;
        this.atomicRename = "1".equals(sftp.getExtension(POSIX_RENAME));
    }

    /** The connector a publisher uses by default. */
    static RemoteFs connect(SftpTarget target, SshAuth auth, SyncOptions options) throws IOException {
        JSch jsch = new JSch();
        RecordingHostKeys hostKeys = new RecordingHostKeys(hostKeyRepository(jsch, auth.hostKeys(), target));
        jsch.setHostKeyRepository(hostKeys);
        try {
            if (auth.privateKey().isPresent()) {
                byte[] text = auth.privateKey().get().getBytes(StandardCharsets.UTF_8);
                KeyPair pair = KeyPair.load(jsch, text, null);
                if (pair.isEncrypted() && auth.passphrase().isEmpty()) {
                    throw new SyncException(Reason.AUTH, target + ": the private key is encrypted: give its passphrase");
                }
                if (pair.isEncrypted() && !pair.decrypt(auth.passphrase().get().getBytes(StandardCharsets.UTF_8))) {
                    throw new SyncException(Reason.AUTH, target + ": wrong passphrase for the private key");
                }
                pair.dispose();
                jsch.addIdentity("cutter-sync-key", auth.privateKey().get().getBytes(StandardCharsets.UTF_8), null,
                        auth.passphrase().map(p -> p.getBytes(StandardCharsets.UTF_8)).orElse(null));
            } else {
                jsch.setIdentityRepository(new AgentIdentityRepository(new SSHAgentConnector()));
            }
        } catch (AgentProxyException e) {
            throw new SyncException(Reason.AUTH, target + ": no private key given and no usable ssh-agent (SSH_AUTH_SOCK): "
                    + e.getMessage(), e);
        } catch (JSchException e) {
            throw new SyncException(Reason.AUTH, target + ": the private key cannot be read"
                    + (auth.passphrase().isEmpty() ? " (is it encrypted? give its passphrase)" : " (wrong passphrase?)")
                    + ": " + e.getMessage(), e);
        }
        Session session = null;
        try {
            session = jsch.getSession(target.effectiveUser(), target.host(), target.port());
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            String preferred = hostKeys.preferredAlgorithms(target.knownHostsName(), session.getConfig("server_host_key"));
            session.setConfig("server_host_key", preferred);
            int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());
            // a keep-alive every quarter of the timeout; four unanswered ones and the connection is lost
            session.setServerAliveInterval(Math.max(1000, timeoutMillis / 4));
            session.setServerAliveCountMax(4);
            session.connect(timeoutMillis);
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(timeoutMillis);
            sftp.setBulkRequests(64);
            return new JschRemoteFs(target, session, sftp);
        } catch (JSchException e) {
            if (session != null) {
                session.disconnect();
            }
            throw translateConnect(target, auth, hostKeys, e);
        }
    }

    private static SyncException translateConnect(SftpTarget target, SshAuth auth, RecordingHostKeys hostKeys, JSchException e) {
        String message = String.valueOf(e.getMessage());
        if (hostKeys.presented != null && hostKeys.verdict != HostKeyRepository.OK) {
            String fingerprint = fingerprint(hostKeys.presented);
            String type = keyType(hostKeys.presented);
            String how = switch (auth.hostKeys()) {
                case SshAuth.KnownHostsFile k -> "add it to " + k.file() + " (after checking it out of band: ssh-keyscan -p "
                        + target.port() + " " + target.host() + " | ssh-keygen -lf -) or pass that fingerprint";
                case SshAuth.Fingerprint f -> "the fingerprint given was " + f.sha256();
            };
            String what = hostKeys.verdict == HostKeyRepository.CHANGED
                    ? "CHANGED host key (possible man-in-the-middle, or the server was reinstalled)" : "unknown host key";
            return new SyncException(Reason.HOST_KEY, target + ": refusing " + what + " of " + target.knownHostsName()
                    + ": " + type + " " + fingerprint + "; to trust it, " + how, e);
        }
        if (message.startsWith("Auth fail") || message.contains("Auth cancel") || message.contains("USERAUTH fail")) {
            return new SyncException(Reason.AUTH, target + ": authentication as '" + target.effectiveUser() + "' failed: the server refused "
                    + (auth.usesAgent() ? "every key the ssh-agent offered" : "the private key")
                    + " (is its public key in the user's authorized_keys?)", e);
        }
        return new SyncException(Reason.CONNECTION, target + ": cannot connect: " + message, e);
    }

    // ---- RemoteFs

    @Override
    public List<Entry> list(String dir) throws IOException {
        List<Entry> out = new ArrayList<>();
        send("list", dir, () -> sftp.ls(quote(dir), e -> {
            String name = e.getFilename();
            if (!name.equals(".") && !name.equals("..")) {
                out.add(entry(name, e.getAttrs()));
            }
            return ChannelSftp.LsEntrySelector.CONTINUE;
        }));
        return out;
    }

    @Override
    public Optional<Entry> lstat(String path) throws IOException {
        try {
            String name = path.substring(path.lastIndexOf('/') + 1);
            return Optional.of(entry(name, sftp.lstat(quote(path))));
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw translate("stat", path, e);
        }
    }

    @Override
    public String readlink(String path) throws IOException {
        try {
            return sftp.readlink(quote(path));
        } catch (SftpException e) {
            throw translate("read link", path, e);
        }
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        return sendIfThere("read", path, () -> sftp.get(quote(path), out)) ? Optional.of(out.toByteArray()) : Optional.empty();
    }

    @Override
    public void download(String path, java.io.OutputStream out) throws IOException {
        send("read", path, () -> sftp.get(quote(path), out));
    }

    @Override
    public void mkdir(String path) throws IOException {
        send("create directory", path, () -> sftp.mkdir(quote(path)));
    }

    @Override
    public long upload(InputStream in, String path) throws IOException {
        CountingInputStream counting = new CountingInputStream(in);
        send("write", path, () -> sftp.put(counting, quote(path), null, ChannelSftp.OVERWRITE));
        return counting.count();
    }

    @Override
    public void setMtime(String path, long epochSeconds) throws IOException {
        send("set modification time of", path, () -> sftp.setMtime(quote(path), (int) epochSeconds));
    }

    @Override
    public void rename(String from, String to) throws IOException {
        if (!atomicRename && lstat(to).isPresent()) {
            send("rename " + from + " to", to, () -> sftp.rm(quote(to))); // SSH_FXP_RENAME of SFTP v3 refuses an existing target
        }
        send("rename " + from + " to", to, () -> sftp.rename(quote(from), quote(to)));
    }

    @Override
    public boolean atomicRename() {
        return atomicRename;
    }

    @Override
    public void symlink(String linkTarget, String link) throws IOException {
        send("create link", link, () -> sftp.symlink(linkTarget, quote(link)));
    }

    @Override
    public void remove(String path) throws IOException {
        sendIfThere("delete", path, () -> sftp.rm(quote(path)));
    }

    @Override
    public void rmdir(String path) throws IOException {
        sendIfThere("delete directory", path, () -> sftp.rmdir(quote(path)));
    }

    /** One SFTP request. */
    @FunctionalInterface
    private interface Request {
        void send() throws SftpException;
    }

    /** Sends {@code request}; its failure is told as one to {@code operation} {@code path} ({@link #translate}). */
    private void send(String operation, String path, Request request) throws SyncException {
        try {
            request.send();
        } catch (SftpException e) {
            throw translate(operation, path, e);
        }
    }

    /** As {@link #send}, for a path that may be missing: false when it is, and nothing was done. */
    private boolean sendIfThere(String operation, String path, Request request) throws SyncException {
        try {
            request.send();
            return true;
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return false;
            }
            throw translate(operation, path, e);
        }
    }

    @Override
    public void close() {
        sftp.disconnect();
        session.disconnect();
    }

    // ---- errors

    private SyncException translate(String operation, String path, SftpException e) {
        String where = target.host() + ":" + path;
        if (!session.isConnected() || !sftp.isConnected() || e.id == ChannelSftp.SSH_FX_CONNECTION_LOST
                || e.id == ChannelSftp.SSH_FX_NO_CONNECTION || e.getCause() instanceof IOException) {
            return new SyncException(Reason.CONNECTION, "connection to " + target + " lost while trying to " + operation + " "
                    + where + ": " + e.getMessage(), e);
        }
        return switch (e.id) {
            case ChannelSftp.SSH_FX_PERMISSION_DENIED -> new SyncException(Reason.PERMISSION,
                    "permission denied: cannot " + operation + " " + where + " as '" + target.effectiveUser() + "'", e);
            case ChannelSftp.SSH_FX_FAILURE -> new SyncException(Reason.WRITE_FAILED,
                    "cannot " + operation + " " + where + ": the server answered SSH_FX_FAILURE" + freeSpace(path), e);
            case ChannelSftp.SSH_FX_NO_SUCH_FILE -> new SyncException(Reason.OTHER,
                    "cannot " + operation + " " + where + ": no such file or directory", e);
            default -> new SyncException(Reason.OTHER, "cannot " + operation + " " + where + ": " + e.getMessage()
                    + " (SFTP status " + e.id + ")", e);
        };
    }

    /** Why SSH_FX_FAILURE, when the server can say (statvfs@openssh.com): a full disk is the usual cause. */
    private String freeSpace(String path) {
        try {
            String dir = path.contains("/") ? path.substring(0, Math.max(1, path.lastIndexOf('/'))) : ".";
            SftpStatVFS vfs = sftp.statVFS(quote(dir));
            long freeBytes = vfs.getAvailBlocks() * vfs.getFragmentSize();
            return freeBytes < (1L << 20) || vfs.getAvailINodes() == 0
                    ? " (the remote file system is full: " + freeBytes + " bytes and " + vfs.getAvailINodes() + " inodes free)"
                    : " (" + (freeBytes >> 20) + " MiB free there, so not a full disk: a quota or a read-only file system?)";
        } catch (SftpException | RuntimeException e) {
            return " (a full disk or a quota, usually)";
        }
    }

    /** JSch reads '*' and '?' as glob patterns and '\' as an escape in paths; these are plain names. */
    static String quote(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            if (c == '*' || c == '?' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static Entry entry(String name, SftpATTRS attrs) {
        Kind kind = attrs.isLink() ? Kind.LINK : attrs.isDir() ? Kind.DIRECTORY : attrs.isReg() ? Kind.FILE : Kind.OTHER;
        return new Entry(name, kind, attrs.getSize(), Integer.toUnsignedLong(attrs.getMTime()));
    }

    // ---- host keys

    private static HostKeyRepository hostKeyRepository(JSch jsch, SshAuth.HostKeys trust, SftpTarget target) throws SyncException {
        return switch (trust) {
            case SshAuth.KnownHostsFile k -> {
                try {
                    if (Files.isRegularFile(k.file())) {
                        jsch.setKnownHosts(k.file().toString());
                    } else {
                        jsch.setKnownHosts(new ByteArrayInputStream(new byte[0]));
                    }
                } catch (JSchException e) {
                    throw new SyncException(Reason.HOST_KEY, target + ": cannot read known hosts " + k.file() + ": " + e.getMessage(), e);
                }
                yield jsch.getHostKeyRepository();
            }
            case SshAuth.Fingerprint f -> new FingerprintHostKeys(f.sha256());
        };
    }

    /** {@code SHA256:<base64, no padding>} of a key blob, as {@code ssh-keygen -l} prints it. */
    static String fingerprint(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The algorithm name a key blob starts with ({@code ssh-ed25519}, ...). */
    static String keyType(byte[] keyBlob) {
        if (keyBlob.length < 4) {
            return "?";
        }
        int n = ((keyBlob[0] & 0xff) << 24) | ((keyBlob[1] & 0xff) << 16) | ((keyBlob[2] & 0xff) << 8) | (keyBlob[3] & 0xff);
        return n > 0 && n <= keyBlob.length - 4 ? new String(keyBlob, 4, n, StandardCharsets.US_ASCII) : "?";
    }

    /** Trusts exactly the key with one fingerprint. */
    private record FingerprintHostKeys(String sha256) implements HostKeyRepository {
        @Override
        public int check(String host, byte[] key) {
            return MessageDigest.isEqual(fingerprint(key).getBytes(StandardCharsets.US_ASCII), sha256.getBytes(StandardCharsets.US_ASCII))
                    ? OK : NOT_INCLUDED;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {}

        @Override
        public void remove(String host, String type) {}

        @Override
        public void remove(String host, String type, byte[] key) {}

        @Override
        public String getKnownHostsRepositoryID() {
            return "fingerprint " + sha256;
        }

        @Override
        public HostKey[] getHostKey() {
            return new HostKey[0];
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return new HostKey[0];
        }
    }

    /** Remembers the key the server presented and the verdict, for a message naming its fingerprint. */
    private static final class RecordingHostKeys implements HostKeyRepository {
        private final HostKeyRepository delegate;
        volatile byte[] presented;
        volatile int verdict = OK;

        RecordingHostKeys(HostKeyRepository delegate) {
            this.delegate = delegate;
        }

        /** Host key algorithms with the types known for {@code host} first, so the server presents a key we can check. */
        String preferredAlgorithms(String host, String defaults) {
            Set<String> ordered = new LinkedHashSet<>();
            HostKey[] known = delegate.getHostKey(host, null);
            List<String> all = List.of(defaults.split(","));
            for (HostKey k : known == null ? new HostKey[0] : known) {
                String type = k.getType();
                for (String alg : all) {
                    if (alg.equals(type) || (type.equals("ssh-rsa") && alg.startsWith("rsa-sha2-"))) {
                        ordered.add(alg);
                    }
                }
            }
            ordered.addAll(all);
            return String.join(",", ordered);
        }

        @Override
        public int check(String host, byte[] key) {
            presented = key.clone();
            verdict = delegate.check(host, key);
            return verdict;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
            // never: StrictHostKeyChecking=yes, and trust is the caller's decision
        }

        @Override
        public void remove(String host, String type) {}

        @Override
        public void remove(String host, String type, byte[] key) {}

        @Override
        public String getKnownHostsRepositoryID() {
            return delegate.getKnownHostsRepositoryID();
        }

        @Override
        public HostKey[] getHostKey() {
            return delegate.getHostKey();
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return delegate.getHostKey(host, type);
        }
    }
}
