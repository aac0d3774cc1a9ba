package dev.addressable.bench.load;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One non-blocking HTTP/1.1 client connection owned by an {@link EventLoop}. One request at a
 * time: {@link #send} writes a request, the handler gets its answer, and may send the next on the
 * same kept-alive connection. Every method must be called on the loop's thread.
 */
public final class Conn {

  /** What a connection reports, always on its loop's thread. */
  public interface Handler {
    void onOpen(Conn conn);

    void onResponse(Conn conn, HttpResponse response);

    /** The connection ended; {@code cause} is null when this side closed it on purpose. */
    void onClose(Conn conn, IOException cause);
  }

  final SocketChannel channel;
  final SelectionKey key;
  final Handler handler;
  private final ResponseParser parser = new ResponseParser();
  private ByteBuffer pending;
  private boolean open;
  private boolean closed;
  /** What the owner keeps with this connection. */
  public Object attachment;

  Conn(SocketChannel channel, SelectionKey key, Handler handler) {
    this.channel = channel;
    this.key = key;
    this.handler = handler;
  }

  /** Writes a request; whatever the socket does not take now is written when it can. */
  public void send(byte[] request) {
    if (closed) {
      return;
    }
    ByteBuffer buf = ByteBuffer.wrap(request);
    if (pending != null && pending.hasRemaining()) {
      ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + buf.remaining());
      joined.put(pending).put(buf).flip();
      pending = joined;
    } else {
      pending = buf;
    }
    if (open) {
      flush();
    }
  }

  public boolean isOpen() {
    return open && !closed;
  }

  /**
   * Closes the connection. With {@code reset}, the socket is closed with an RST (SO_LINGER 0) so
   * the load generator leaves no TIME_WAIT behind to block the next run's ports.
   */
  public void close(boolean reset) {
    close(null, reset);
  }

  void onConnectable() {
    try {
      if (!channel.finishConnect()) {
        return;
      }
    } catch (IOException e) {
      close(e, false);
      return;
    }
    open = true;
    key.interestOps(SelectionKey.OP_READ);
    handler.onOpen(this);
    if (pending != null && pending.hasRemaining()) {
      flush();
    }
  }

  void onReadable(ByteBuffer scratch) {
    try {
      scratch.clear();
      int n = channel.read(scratch);
      if (n < 0) {
        close(new IOException("closed by the server"), false);
        return;
      }
      scratch.flip();
      parser.feed(scratch, response -> {
        handler.onResponse(this, response);
        if (response.closes() && !closed) {
          close(new IOException("server answered Connection: close"), false);
        }
      });
    } catch (IOException e) {
      close(e, false);
    }
  }

  void onWritable() {
    flush();
  }

  private void flush() {
    try {
      channel.write(pending);
      if (pending.hasRemaining()) {
        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      } else {
        pending = null;
        key.interestOps(SelectionKey.OP_READ);
      }
    } catch (IOException e) {
      close(e, false);
    }
  }

  private void close(IOException cause, boolean reset) {
    if (closed) {
      return;
    }
    closed = true;
    key.cancel();
    try {
      if (reset && channel.isOpen()) {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
      }
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing left to do with it
    }
    handler.onClose(this, cause);
  }
}
