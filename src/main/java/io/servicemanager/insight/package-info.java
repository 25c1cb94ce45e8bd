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
 * <p>Wired: {@link io.servicemanager.Application} opens the store at start (the command line exits 2
 * on an {@link io.servicemanager.insight.InsightDatabaseException}) and hands it out as
 * {@code Application.insight()}; {@link io.servicemanager.insight.InsightVerticle} imports the
 * history file once, applies the retention daily and closes the store; the action verticle records
 * through {@code OperationStore}, which {@code GET /api/history} reads; {@code history export}.
 *
 * <p>Not yet wired: the status verticle recording transitions and gaps through a recorder; the REST
 * routes for timeline and statistics.
 */
package io.servicemanager.insight;
