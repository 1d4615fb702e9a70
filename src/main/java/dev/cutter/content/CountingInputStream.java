package dev.cutter.content;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream whose bytes are counted as they are read, for a message or a check that needs to know
 * how far a reader got (what an upload sent, how much of an answer arrived). The count may be
 * asked from another thread; {@link #ended()} is told when a read meets the end.
 */
public class CountingInputStream extends FilterInputStream {
    private volatile long count;

    public CountingInputStream(InputStream in) {
        super(in);
    }

    /** The bytes read so far. */
    public final long count() {
        return count;
    }

    /** Called when a read finds the end of the stream; nothing by default. */
    protected void ended() {}

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count++;
        } else {
            ended();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count += n;
        } else if (n < 0) {
            ended();
        }
        return n;
    }
}
