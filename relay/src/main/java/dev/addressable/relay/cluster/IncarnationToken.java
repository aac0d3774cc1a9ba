package dev.addressable.relay.cluster;

/**
 * Which life of the shared Redis the cluster is in (the incarnation, {@code <prefix>{g}:inc}): a
 * token that changes whenever Redis may have lost data (a restart, a flush, a failover), once
 * however many nodes notice. Scripts compare a meta's incarnation with it to decide whether the
 * meta's epoch must switch. A value: the store takes one and passes it on, never the bare strings.
 *
 * @param token the current incarnation
 * @param previous the one before it, empty when there was none (first start, or the key was lost
 *     with everything else)
 * @param continuous whether the change from {@code previous} to {@code token} kept every write
 *     Redis had acknowledged (the {@code d} flag: a single primary with {@code appendfsync always},
 *     or {@code --redis-durability always}); then a reader crossing it is not told {@code missed}
 */
public record IncarnationToken(String token, String previous, boolean continuous) {

  public IncarnationToken {
    if (token == null || token.isEmpty() || previous == null) {
      throw new IllegalArgumentException("an incarnation needs a token (and a previous one, maybe empty): "
          + token + ", " + previous);
    }
  }
}
