/**
 * Insight (DESIGN §3): what happened to the services, kept in an embedded SQLite database.
 *
 * <p>Here, standalone and tested on real SQLite files:
 * <ul>
 *   <li>{@link io.servicemanager.insight.InsightDatabase}: opens the file in WAL mode with
 *       synchronous=FULL, migrates the {@link io.servicemanager.insight.Schema} by {@code user_version},
 *       and refuses (never recreates) a file that is no database, damaged, locked or newer;
 *       {@link io.servicemanager.insight.InsightStore} runs all JDBC on its own write and read threads.
 *   <li>{@link io.servicemanager.insight.OperationStore}: operation records, appended durably
 *       (an {@link io.servicemanager.action.OperationLog}) and queried newest first like
 *       {@code GET /api/history}, plus user filter and cursor paging;
 *       {@link io.servicemanager.insight.HistoryImport} brings an existing history.jsonl in once.
 *   <li>{@link io.servicemanager.insight.TransitionStore} and
 *       {@link io.servicemanager.insight.TransitionRecorder}: status transitions in batches, gaps,
 *       and one service's {@link io.servicemanager.insight.ServiceStatistics} over a window;
 *       {@link io.servicemanager.insight.Retention} and {@link io.servicemanager.insight.InsightExport}.
 *   <li>Pure arithmetic: {@link io.servicemanager.insight.FailureReason} (systemd's Result and exit
 *       details in words and a reason code), {@link io.servicemanager.insight.Uptime},
 *       {@link io.servicemanager.insight.FailurePatterns}, {@link io.servicemanager.insight.OperationFigures}.
 * </ul>
 *
 * <p>Not yet wired: the {@code insight.database} and {@code retention_days} configuration keys; opening
 * the store at start (exit 2 on {@link io.servicemanager.insight.InsightDatabaseException}), importing
 * the history file once, closing open gaps and recording a gap at stop and on bus loss; the status
 * verticle recording transitions (with cause and {@link io.servicemanager.insight.FailureReason}) through
 * a recorder; the action verticle writing through {@code OperationStore} instead of the history file;
 * the REST routes (history with user and cursor, timeline, statistics, export), filtered per identity;
 * a daily retention run.
 */
package io.servicemanager.insight;
