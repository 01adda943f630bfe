package dev.smarthost.spring;

import java.time.Duration;

/**
 * {@code smarthost.mailer.*}: the mailer's connections, retries and timeouts, bound as part of
 * {@link SmarthostProperties}.
 */
public class MailerProperties {
  /** Creates the defaults. */
  public MailerProperties() {}

  /** Most connections open at once. */
  private int maxConnections = 2;

  /** How often a message is tried when failures are temporary. */
  private int maxAttempts = 3;

  /** Most messages queued by asynchronous sends. */
  private int queueCapacity = 1000;

  /** Messages sent over one connection before it is replaced. */
  private int maxMessagesPerConnection = 100;

  /** Age after which a connection is replaced. */
  private Duration maxConnectionAge = Duration.ofMinutes(5);

  /** Idle time after which a connection is closed. */
  private Duration idleTimeout = Duration.ofSeconds(30);

  /** Pause before a retry, times the attempt number. */
  private Duration retryBackoff = Duration.ofMillis(200);

  /** Longest wait for a free connection. */
  private Duration acquireTimeout = Duration.ofSeconds(60);

  /** Longest one send may take, all attempts included. */
  private Duration sendTimeout = Duration.ofSeconds(60);

  /** Longest the mailer drains queued and due messages when the context closes. */
  private Duration closeTimeout = Duration.ofSeconds(30);

  /**
   * Returns the most connections.
   *
   * @return the count
   */
  public int getMaxConnections() {
    return maxConnections;
  }

  /**
   * Sets the most connections.
   *
   * @param maxConnections at least 1
   */
  public void setMaxConnections(int maxConnections) {
    this.maxConnections = maxConnections;
  }

  /**
   * Returns the attempts.
   *
   * @return the count
   */
  public int getMaxAttempts() {
    return maxAttempts;
  }

  /**
   * Sets the attempts.
   *
   * @param maxAttempts at least 1
   */
  public void setMaxAttempts(int maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  /**
   * Returns the queue capacity.
   *
   * @return the capacity
   */
  public int getQueueCapacity() {
    return queueCapacity;
  }

  /**
   * Sets the queue capacity.
   *
   * @param queueCapacity at least 1
   */
  public void setQueueCapacity(int queueCapacity) {
    this.queueCapacity = queueCapacity;
  }

  /**
   * Returns: messages sent over one connection before it is replaced.
   *
   * @return the value
   */
  public int getMaxMessagesPerConnection() {
    return maxMessagesPerConnection;
  }

  /**
   * Sets: messages sent over one connection before it is replaced.
   *
   * @param maxMessagesPerConnection the value
   */
  public void setMaxMessagesPerConnection(int maxMessagesPerConnection) {
    this.maxMessagesPerConnection = maxMessagesPerConnection;
  }

  /**
   * Returns: age after which a connection is replaced.
   *
   * @return the value
   */
  public Duration getMaxConnectionAge() {
    return maxConnectionAge;
  }

  /**
   * Sets: age after which a connection is replaced.
   *
   * @param maxConnectionAge the value
   */
  public void setMaxConnectionAge(Duration maxConnectionAge) {
    this.maxConnectionAge = maxConnectionAge;
  }

  /**
   * Returns: idle time after which a connection is closed.
   *
   * @return the value
   */
  public Duration getIdleTimeout() {
    return idleTimeout;
  }

  /**
   * Sets: idle time after which a connection is closed.
   *
   * @param idleTimeout the value
   */
  public void setIdleTimeout(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  /**
   * Returns: pause before a retry, times the attempt number.
   *
   * @return the value
   */
  public Duration getRetryBackoff() {
    return retryBackoff;
  }

  /**
   * Sets: pause before a retry, times the attempt number.
   *
   * @param retryBackoff the value
   */
  public void setRetryBackoff(Duration retryBackoff) {
    this.retryBackoff = retryBackoff;
  }

  /**
   * Returns: longest wait for a free connection.
   *
   * @return the value
   */
  public Duration getAcquireTimeout() {
    return acquireTimeout;
  }

  /**
   * Sets: longest wait for a free connection.
   *
   * @param acquireTimeout the value
   */
  public void setAcquireTimeout(Duration acquireTimeout) {
    this.acquireTimeout = acquireTimeout;
  }

  /**
   * Returns: longest one send may take, all attempts included.
   *
   * @return the value
   */
  public Duration getSendTimeout() {
    return sendTimeout;
  }

  /**
   * Sets: longest one send may take, all attempts included.
   *
   * @param sendTimeout the value
   */
  public void setSendTimeout(Duration sendTimeout) {
    this.sendTimeout = sendTimeout;
  }

  /**
   * Returns: longest the mailer drains queued and due messages when the context closes.
   *
   * @return the value
   */
  public Duration getCloseTimeout() {
    return closeTimeout;
  }

  /**
   * Sets: longest the mailer drains queued and due messages when the context closes.
   *
   * @param closeTimeout the value
   */
  public void setCloseTimeout(Duration closeTimeout) {
    this.closeTimeout = closeTimeout;
  }
}
