/* hangar-format.c: how machines and connections read to a person
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define G_LOG_DOMAIN "hangar"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "hangar-format.h"

#define KIB_PER_MIB G_GUINT64_CONSTANT (1024)
#define KIB_PER_GIB G_GUINT64_CONSTANT (1024 * 1024)

/**
 * hangar_format_machine_title:
 *
 * What a machine is called in lists: its title when it has one, else its name.
 */
char *
hangar_format_machine_title (gpointer    unused,
                             const char *name,
                             const char *title)
{
  if (title != NULL && title[0] != '\0')
    return g_strdup (title);
  return g_strdup (name != NULL ? name : "");
}

/**
 * hangar_format_machine_subtitle:
 *
 * The machine's name under its title, or "" when the title already is the name.
 */
char *
hangar_format_machine_subtitle (gpointer    unused,
                                const char *name,
                                const char *title)
{
  if (title == NULL || title[0] == '\0' || g_strcmp0 (name, title) == 0)
    return g_strdup ("");
  return g_strdup (name != NULL ? name : "");
}

/**
 * hangar_format_has_text:
 *
 * Whether @text is worth a label: not %NULL and not empty.
 */
gboolean
hangar_format_has_text (gpointer    unused,
                        const char *text)
{
  return text != NULL && text[0] != '\0';
}

/**
 * hangar_format_os_name:
 * @os_name: Machine1.OsName
 *
 * The guest's operating system as the engine's catalogue names it, or that it is
 * not known.
 */
char *
hangar_format_os_name (gpointer    unused,
                       const char *os_name)
{
  if (os_name == NULL || os_name[0] == '\0')
    return g_strdup (_("Unknown"));
  return g_markup_escape_text (os_name, -1);
}

/**
 * hangar_format_machine_state:
 * @state: a Machine1.State value
 *
 * The state in words.
 */
char *
hangar_format_machine_state (gpointer    unused,
                             const char *state)
{
  const char *words;

  if (g_strcmp0 (state, "shut-off") == 0)
    words = C_("machine state", "Shut Off");
  else if (g_strcmp0 (state, "starting") == 0)
    words = C_("machine state", "Starting");
  else if (g_strcmp0 (state, "running") == 0)
    words = C_("machine state", "Running");
  else if (g_strcmp0 (state, "paused") == 0)
    words = C_("machine state", "Paused");
  else if (g_strcmp0 (state, "shutting-down") == 0)
    words = C_("machine state", "Shutting Down");
  else if (g_strcmp0 (state, "crashed") == 0)
    words = C_("machine state", "Crashed");
  else
    words = C_("machine state", "Unknown");

  return g_strdup (words);
}

/**
 * hangar_format_state_classes:
 * @state: a Machine1.State value
 *
 * The style classes of a state label: its colour says at a glance what the words say.
 */
char **
hangar_format_state_classes (gpointer    unused,
                             const char *state)
{
  const char *colour;

  if (g_strcmp0 (state, "running") == 0)
    colour = "success";
  else if (g_strcmp0 (state, "paused") == 0)
    colour = "warning";
  else if (g_strcmp0 (state, "crashed") == 0)
    colour = "error";
  else if (g_strcmp0 (state, "starting") == 0 || g_strcmp0 (state, "shutting-down") == 0)
    colour = "accent";
  else
    colour = "dim-label";

  return g_strdupv ((char *[]) { "machine-state", (char *) colour, NULL });
}

/**
 * hangar_format_memory:
 * @memory_kib: an amount of memory in KiB
 *
 * The amount in the largest binary unit that keeps it readable: "512 MiB", "2 GiB",
 * "1.5 GiB". It is rounded to a tenth before it is written, so an amount just short of
 * a whole number reads as that number ("2 GiB", never "2.0 GiB"). Whole numbers go
 * through "%s", as xgettext cannot read G_GUINT64_FORMAT in a message.
 */
char *
hangar_format_memory (gpointer unused,
                      guint64  memory_kib)
{
  guint64 unit_kib;
  guint64 whole;
  guint64 tenths;

  if (memory_kib < KIB_PER_MIB)
    return g_strdup_printf (_("%u KiB"), (guint) memory_kib);

  unit_kib = memory_kib >= KIB_PER_GIB ? KIB_PER_GIB : KIB_PER_MIB;
  whole = memory_kib / unit_kib;
  /* The remainder is below 2^20: no overflow. */
  tenths = ((memory_kib % unit_kib) * 10 + unit_kib / 2) / unit_kib;
  if (tenths == 10)
    {
      whole++;
      tenths = 0;
    }

  if (tenths == 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, whole);

      /* Translators: a whole amount of memory; %s is the number, e.g. "2 GiB". */
      if (unit_kib == KIB_PER_GIB)
        return g_strdup_printf (_("%s GiB"), number);
      /* Translators: a whole amount of memory; %s is the number, e.g. "512 MiB". */
      return g_strdup_printf (_("%s MiB"), number);
    }

  if (unit_kib == KIB_PER_GIB)
    return g_strdup_printf (_("%.1f GiB"), (double) whole + (double) tenths / 10);
  return g_strdup_printf (_("%.1f MiB"), (double) whole + (double) tenths / 10);
}

/**
 * hangar_format_resources:
 *
 * What a machine is given, in one line: "2 CPUs · 2 GiB".
 */
char *
hangar_format_resources (gpointer unused,
                         guint    vcpus,
                         guint64  memory_kib)
{
  g_autofree char *memory = hangar_format_memory (NULL, memory_kib);

  /* Translators: virtual CPUs and memory of a machine, e.g. "2 CPUs · 2 GiB". */
  return g_strdup_printf (ngettext ("%u CPU · %s", "%u CPUs · %s", vcpus), vcpus, memory);
}

/**
 * hangar_format_escape_markup:
 *
 * @text made safe for a label that takes Pango markup, such as a status page's
 * description; "" for %NULL.
 */
char *
hangar_format_escape_markup (gpointer    unused,
                             const char *text)
{
  return g_markup_escape_text (text != NULL ? text : "", -1);
}

/**
 * hangar_format_window_page:
 * @status: the connection's status
 * @n_machines: how many machines it has
 *
 * Which page of the window's stack shows: "connecting", "error", "disconnected",
 * "empty" or "machines".
 */
char *
hangar_format_window_page (gpointer               unused,
                           HangarConnectionStatus status,
                           guint                  n_machines)
{
  switch (status)
    {
    case HANGAR_CONNECTION_STATUS_CONNECTED:
      return g_strdup (n_machines > 0 ? "machines" : "empty");
    case HANGAR_CONNECTION_STATUS_FAILED:
      return g_strdup ("error");
    case HANGAR_CONNECTION_STATUS_DISCONNECTED:
      return g_strdup ("disconnected");
    case HANGAR_CONNECTION_STATUS_IDLE:
    case HANGAR_CONNECTION_STATUS_CONNECTING:
    default:
      return g_strdup ("connecting");
    }
}

/**
 * hangar_format_is_connecting:
 *
 * Whether the connecting page is the one showing, so its spinner should spin.
 */
gboolean
hangar_format_is_connecting (gpointer               unused,
                             HangarConnectionStatus status)
{
  return status == HANGAR_CONNECTION_STATUS_IDLE || status == HANGAR_CONNECTION_STATUS_CONNECTING;
}

/* The first line of @text, without trailing space; NULL when there is none. */
static char *
first_line (const char *text)
{
  const char *end;

  if (text == NULL)
    return NULL;
  while (*text == '\n' || *text == ' ')
    text++;
  if (*text == '\0')
    return NULL;
  end = strchr (text, '\n');
  return g_strchomp (end != NULL ? g_strndup (text, end - text) : g_strdup (text));
}

/**
 * hangar_format_state_reason:
 * @state: a Machine1.State value
 * @reason: its Machine1.StateReason
 * @last_error: Machine1.LastError
 *
 * Why a machine is in its state, when that is not obvious: "The guest powered off",
 * or what went wrong when it crashed or failed to start (the first line of
 * @last_error). "" when the state says it all (running because started, paused by
 * the user, …).
 */
char *
hangar_format_state_reason (gpointer    unused,
                            const char *state,
                            const char *reason,
                            const char *last_error)
{
  g_autofree char *error_line = first_line (last_error);

  if (g_strcmp0 (state, "crashed") == 0)
    return error_line != NULL ? g_steal_pointer (&error_line)
                              : g_strdup (_("QEMU ended unexpectedly"));

  if (g_strcmp0 (state, "shut-off") == 0)
    {
      if (g_strcmp0 (reason, "shutdown") == 0)
        return g_strdup (_("The guest powered off"));
      if (g_strcmp0 (reason, "destroyed") == 0)
        return g_strdup (_("Forced off"));
      if (g_strcmp0 (reason, "failed") == 0)
        return error_line != NULL ? g_steal_pointer (&error_line)
                                  : g_strdup (_("It could not start"));
      if (g_strcmp0 (reason, "crashed") == 0)
        return error_line != NULL ? g_steal_pointer (&error_line)
                                  : g_strdup (_("QEMU ended unexpectedly"));
      return g_strdup ("");
    }

  if (g_strcmp0 (state, "paused") == 0)
    {
      if (g_strcmp0 (reason, "io-error") == 0)
        return g_strdup (_("Paused after a disk error"));
      if (g_strcmp0 (reason, "suspended") == 0)
        return g_strdup (_("The guest is suspended"));
      return g_strdup ("");
    }

  if (g_strcmp0 (state, "running") == 0)
    {
      if (g_strcmp0 (reason, "autostart") == 0)
        return g_strdup (_("Started at login"));
      if (g_strcmp0 (reason, "reattached") == 0)
        return g_strdup (_("Found running when the engine started"));
      return g_strdup ("");
    }

  return g_strdup ("");
}

/**
 * hangar_format_state_with_reason:
 *
 * The state in words, and why when that is not obvious: "Crashed — QEMU was killed
 * by signal 9", "Running".
 */
char *
hangar_format_state_with_reason (gpointer    unused,
                                 const char *state,
                                 const char *reason,
                                 const char *last_error)
{
  g_autofree char *words = hangar_format_machine_state (NULL, state);
  g_autofree char *why = hangar_format_state_reason (NULL, state, reason, last_error);

  if (why[0] == '\0')
    return g_steal_pointer (&words);
  /* Translators: a machine's state and why it is in it, e.g. "Shut Off — Forced off". */
  return g_strdup_printf (_("%s — %s"), words, why);
}

/**
 * hangar_format_cpu:
 * @percent: CPU use in percent of one host CPU, negative when unknown
 *
 * "12 %" (rounded to a whole number), or "" when unknown.
 */
char *
hangar_format_cpu (gpointer unused,
                   double   percent)
{
  if (percent < 0 || isnan (percent))
    return g_strdup ("");
  /* Translators: CPU use; %.0f is the percentage. Use a no-break space if your language
   * puts one before the percent sign. */
  return g_strdup_printf (_("%.0f %%"), percent);
}

/**
 * hangar_format_statistic:
 * @value: NaN (or negative) when not measured
 * @unit: a HangarGraphUnit: 0 percent, 1 bytes, 2 bytes per second
 *
 * A figure beside a graph: "98 %", "180.5 MiB", "1.2 MiB/s", "12 KiB/s", "0 B/s";
 * "—" when not measured.
 */
char *
hangar_format_statistic (gpointer unused,
                         double   value,
                         guint    unit)
{
  g_autofree char *size = NULL;

  if (isnan (value) || value < 0)
    return g_strdup ("—");
  if (unit == 0)
    return hangar_format_cpu (NULL, value);
  if (unit == 1)
    return hangar_format_memory (NULL, (guint64) (value / 1024 + 0.5));
  if (value < 1024)
    /* Translators: a data rate in bytes per second. */
    return g_strdup_printf (_("%.0f B/s"), value);
  size = hangar_format_memory (NULL, (guint64) (value / 1024 + 0.5));
  /* Translators: a data rate; %s is an amount such as "1.2 MiB". */
  return g_strdup_printf (_("%s/s"), size);
}

/**
 * hangar_format_network_unavailable:
 * @reason: (nullable): the engine's words for why ("no guest agent channel"), ""
 *   when the machine has no network device
 *
 * Why a machine's network graph is missing, as a sentence.
 */
char *
hangar_format_network_unavailable (gpointer    unused,
                                   const char *reason)
{
  if (reason == NULL)
    return g_strdup (_("Network use is not available."));
  if (*reason == '\0')
    return g_strdup (_("This machine has no network device."));
  /* Translators: %s is the engine's reason, e.g. "no guest agent channel". */
  return g_strdup_printf (_("Network use is not available (%s): it is read from the QEMU guest "
                            "agent, which needs a guest agent channel and the agent running "
                            "in the guest."), reason);
}

/**
 * hangar_format_lines:
 * @lines: (nullable): strings
 *
 * @lines one a line, or "None" when there are none.
 */
char *
hangar_format_lines (gpointer            unused,
                     const char * const *lines)
{
  if (lines == NULL || lines[0] == NULL)
    return g_strdup (C_("disk images", "None"));
  return g_strjoinv ("\n", (char **) lines);
}

/**
 * hangar_format_pending_changes:
 * @changes: (nullable): Machine1.PendingChanges
 *
 * What a machine's pending-changes mark says: the changes that wait for the next
 * start, one a line under a heading; "" when there are none (no mark).
 */
char *
hangar_format_pending_changes (gpointer            unused,
                               const char * const *changes)
{
  g_autofree char *list = NULL;

  if (changes == NULL || changes[0] == NULL)
    return g_strdup ("");
  list = g_strjoinv ("\n", (char **) changes);
  /* Translators: %s lists the changes, one a line. */
  return g_strdup_printf (_("Applies after the next shutdown:\n%s"), list);
}

/**
 * hangar_format_connection_subtitle:
 * @status: the connection's status
 *
 * What the window's subtitle says of its connection: nothing while connected (the
 * list's header names the host), else "Connecting…" or "Disconnected".
 */
char *
hangar_format_connection_subtitle (gpointer               unused,
                                   HangarConnectionStatus status)
{
  switch (status)
    {
    case HANGAR_CONNECTION_STATUS_CONNECTED:
      return g_strdup ("");
    case HANGAR_CONNECTION_STATUS_FAILED:
    case HANGAR_CONNECTION_STATUS_DISCONNECTED:
      return g_strdup (_("Disconnected"));
    case HANGAR_CONNECTION_STATUS_IDLE:
    case HANGAR_CONNECTION_STATUS_CONNECTING:
    default:
      return g_strdup (_("Connecting…"));
    }
}

/**
 * hangar_format_state_problem:
 *
 * What went wrong, for a row to show under the machine's name: the reason of
 * hangar_format_state_reason() when the machine crashed, failed to start or stopped
 * on a disk error; "" otherwise (the reason then is only a tooltip).
 */
char *
hangar_format_state_problem (gpointer    unused,
                             const char *state,
                             const char *reason,
                             const char *last_error)
{
  if (g_strcmp0 (state, "crashed") == 0 ||
      (g_strcmp0 (state, "shut-off") == 0 &&
       (g_strcmp0 (reason, "failed") == 0 || g_strcmp0 (reason, "crashed") == 0)) ||
      (g_strcmp0 (state, "paused") == 0 && g_strcmp0 (reason, "io-error") == 0))
    return hangar_format_state_reason (NULL, state, reason, last_error);

  return g_strdup ("");
}

/**
 * hangar_format_connection_title:
 * @title: (nullable): the connection's title, "user@host"; %NULL for the local engine
 *
 * What the list of connections calls a connection.
 */
char *
hangar_format_connection_title (gpointer    unused,
                                const char *title)
{
  return g_strdup (title != NULL ? title : _("This Computer"));
}

/**
 * hangar_format_connection_status:
 *
 * How a connection stands, in a word or two under its title.
 */
char *
hangar_format_connection_status (gpointer               unused,
                                 HangarConnectionStatus status)
{
  switch (status)
    {
    case HANGAR_CONNECTION_STATUS_CONNECTED:
      return g_strdup (_("Connected"));
    case HANGAR_CONNECTION_STATUS_CONNECTING:
      return g_strdup (_("Connecting…"));
    case HANGAR_CONNECTION_STATUS_FAILED:
      return g_strdup (_("Cannot Connect"));
    case HANGAR_CONNECTION_STATUS_DISCONNECTED:
      return g_strdup (_("Disconnected"));
    case HANGAR_CONNECTION_STATUS_IDLE:
    default:
      return g_strdup (_("Not Connected"));
    }
}

/**
 * hangar_format_connection_icon:
 * @title: (nullable): as for hangar_format_connection_title()
 */
char *
hangar_format_connection_icon (gpointer    unused,
                               const char *title)
{
  return g_strdup (title != NULL ? "network-server-symbolic" : "computer-symbolic");
}
