/**
 * The queryable views of letterlock.events that the Email Activity API and the TLS report answer
 * from: one Kafka Streams application keeping RocksDB stores with changelogs, and how a query finds
 * the instance holding its data (this one, or another it forwards to). The stores' contents belong
 * to the jobs that read them ({@code activity.store}, {@code report.store}).
 */
package io.letterlock.events.views;
