/* hangarctl-create.c: `hangarctl create`, `os-list` and `identify`
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The same engine calls as the create-VM wizard: IdentifyMedia/IdentifyTree for the OS,
 * CheckMachineName before anything is made, CreateVolume as a job (its progress on
 * stderr; Ctrl+C cancels it and the engine removes the half image), CreateMachine, and
 * Start when asked. The command line is checked whole before the engine is reached.
 */
#define G_LOG_DOMAIN "hangarctl"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "hangar-error.h"
#include "hangarctl-private.h"

#define DISK_MAX_GIB 65536.0  /* the engine refuses images beyond 64 TiB */
#define SEARCH_LIMIT 200

typedef struct
{
  char    *name;
  char    *os;
  int      memory_mib;   /* -1: the OS's default */
  int      vcpus;        /* -1: the OS's default */
  char    *cdrom;
  char    *location;
  char    *extra_args;
  gboolean pxe;
  char    *import;
  gboolean convert;
  char    *kernel;
  char    *initrd;
  char    *cmdline;
  char    *disk;
  char    *disk_size;
  char    *preallocation;
  gboolean no_disk;
  char    *firmware;
  char    *network;
  gboolean start;
  double   disk_gib;     /* --disk-size, parsed */
} CreateArgs;

static void
create_args_clear (CreateArgs *args)
{
  g_free (args->name);
  g_free (args->os);
  g_free (args->cdrom);
  g_free (args->location);
  g_free (args->extra_args);
  g_free (args->import);
  g_free (args->kernel);
  g_free (args->initrd);
  g_free (args->cmdline);
  g_free (args->disk);
  g_free (args->disk_size);
  g_free (args->preallocation);
  g_free (args->firmware);
  g_free (args->network);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CreateArgs, create_args_clear)

static gboolean
one_of (const char        *value,
        const char * const *allowed)
{
  return value == NULL || g_strv_contains (allowed, value);
}

/* Parses and checks `create`'s arguments. Returns NULL, or the usage error to print. */
static char *
parse_create_args (int          argc,
                   char       **argv,
                   CreateArgs  *args)
{
  static const char * const firmwares[] = { "bios", "uefi", "uefi-secure", NULL };
  static const char * const networks[] = { "user", "none", NULL };
  static const char * const preallocations[] = { "off", "metadata", "falloc", "full", NULL };
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &args->name, NULL, NULL },
    { "os", 0, 0, G_OPTION_ARG_STRING, &args->os, NULL, NULL },
    { "memory", 0, 0, G_OPTION_ARG_INT, &args->memory_mib, NULL, NULL },
    { "vcpus", 0, 0, G_OPTION_ARG_INT, &args->vcpus, NULL, NULL },
    { "cdrom", 0, 0, G_OPTION_ARG_FILENAME, &args->cdrom, NULL, NULL },
    { "location", 0, 0, G_OPTION_ARG_STRING, &args->location, NULL, NULL },
    { "extra-args", 0, 0, G_OPTION_ARG_STRING, &args->extra_args, NULL, NULL },
    { "pxe", 0, 0, G_OPTION_ARG_NONE, &args->pxe, NULL, NULL },
    { "import", 0, 0, G_OPTION_ARG_FILENAME, &args->import, NULL, NULL },
    { "convert", 0, 0, G_OPTION_ARG_NONE, &args->convert, NULL, NULL },
    { "kernel", 0, 0, G_OPTION_ARG_FILENAME, &args->kernel, NULL, NULL },
    { "initrd", 0, 0, G_OPTION_ARG_FILENAME, &args->initrd, NULL, NULL },
    { "cmdline", 0, 0, G_OPTION_ARG_STRING, &args->cmdline, NULL, NULL },
    { "disk", 0, 0, G_OPTION_ARG_FILENAME, &args->disk, NULL, NULL },
    { "disk-size", 0, 0, G_OPTION_ARG_STRING, &args->disk_size, NULL, NULL },
    { "preallocation", 0, 0, G_OPTION_ARG_STRING, &args->preallocation, NULL, NULL },
    { "no-disk", 0, 0, G_OPTION_ARG_NONE, &args->no_disk, NULL, NULL },
    { "firmware", 0, 0, G_OPTION_ARG_STRING, &args->firmware, NULL, NULL },
    { "network", 0, 0, G_OPTION_ARG_STRING, &args->network, NULL, NULL },
    { "start", 0, 0, G_OPTION_ARG_NONE, &args->start, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_auto(GStrv) copy = g_new0 (char *, argc + 1);
  g_autoptr(GError) error = NULL;
  guint sources, disks;

  args->memory_mib = -1;
  args->vcpus = -1;
  for (int i = 0; i < argc; i++)
    copy[i] = g_strdup (argv[i]);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse_strv (context, &copy, &error))
    return g_strdup (error->message);
  if (g_strv_length (copy) > 1)
    return g_strdup_printf (_("unexpected argument “%s”"), copy[1]);

  if (args->name == NULL || *args->name == '\0')
    return g_strdup (_("give the new machine’s name with --name"));
  sources = (args->cdrom != NULL) + (args->location != NULL) + (args->pxe != FALSE) +
            (args->import != NULL) + (args->kernel != NULL);
  if (sources != 1)
    return g_strdup (_("give one of --cdrom, --location, --pxe, --import and --kernel"));
  if (args->extra_args != NULL && args->location == NULL)
    return g_strdup (_("--extra-args goes with --location"));
  if (args->location != NULL && strstr (args->location, "://") == NULL)
    return g_strdup (_("--location takes a URL (http://, https:// or ftp://)"));
  if (args->convert && args->import == NULL)
    return g_strdup (_("--convert goes with --import"));
  if ((args->initrd != NULL || args->cmdline != NULL) && args->kernel == NULL)
    return g_strdup (_("--initrd and --cmdline go with --kernel"));
  disks = (args->disk != NULL) + (args->disk_size != NULL) + (args->no_disk != FALSE);
  if (disks > 1)
    return g_strdup (_("give at most one of --disk, --disk-size and --no-disk"));
  if (disks > 0 && args->import != NULL)
    return g_strdup (_("--import names the disk: no --disk, --disk-size or --no-disk with it"));
  if (args->preallocation != NULL && args->disk_size == NULL)
    return g_strdup (_("--preallocation goes with --disk-size"));
  if (!one_of (args->preallocation, preallocations))
    return g_strdup (_("--preallocation is off, metadata, falloc or full"));
  if (args->disk_size != NULL)
    {
      char *end = NULL;

      args->disk_gib = g_ascii_strtod (args->disk_size, &end);
      if (end == args->disk_size || *end != '\0' || !(args->disk_gib > 0) ||
          args->disk_gib > DISK_MAX_GIB)
        return g_strdup (_("--disk-size takes a size in GiB, more than 0 and at most 65536"));
    }
  if (args->memory_mib == 0 || args->memory_mib < -1)
    return g_strdup (_("--memory takes a size in MiB, more than 0"));
  if (args->vcpus == 0 || args->vcpus < -1)
    return g_strdup (_("--vcpus takes a number of CPUs, more than 0"));
  if (!one_of (args->firmware, firmwares))
    return g_strdup (_("--firmware is bios, uefi or uefi-secure"));
  if (!one_of (args->network, networks))
    return g_strdup (_("--network is user or none"));
  if (args->pxe && g_strcmp0 (args->network, "none") == 0)
    return g_strdup (_("--pxe boots from the network: not with --network none"));
  return NULL;
}

int
hangarctl_check_create (const Verb  *verb,
                        int          argc,
                        char       **argv)
{
  g_auto(CreateArgs) args = { 0 };
  g_autofree char *problem = parse_create_args (argc, argv, &args);

  return problem ? hangarctl_usage_error (verb->name, problem) : 0;
}

/* ---- the engine's side ----------------------------------------------------------- */

/* A path as the engine wants it: absolute (the engine runs on this host: the session bus). */
static void
make_absolute (char **path)
{
  char *absolute;

  if (*path == NULL)
    return;
  absolute = g_canonicalize_filename (*path, NULL);
  g_free (*path);
  *path = absolute;
}

/* --os: a libosinfo id or "generic" as is, else a short id ("debian11") looked up. */
static char *
resolve_os (Ctl         *ctl,
            const char  *os,
            GError     **error)
{
  g_autoptr(GVariant) systems = NULL;
  GVariantIter iter;
  const char *id, *short_id, *name;

  if (strstr (os, "://") != NULL || g_str_equal (os, "generic"))
    return g_strdup (os);
  if (!hangar_dbus_host1_call_search_operating_systems_sync (ctl->host, os, SEARCH_LIMIT,
                                                             &systems, NULL, error))
    return NULL;
  g_variant_iter_init (&iter, systems);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &id, &short_id, &name))
    if (g_ascii_strcasecmp (short_id, os) == 0)
      return g_strdup (id);
  g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_FOUND,
               _("The catalogue has no operating system “%s”: see “hangarctl os-list %s”."),
               os, os);
  return NULL;
}

/* The OS the install medium or tree says it holds, as the wizard shows it. */
static char *
detect_os (Ctl         *ctl,
           CreateArgs  *args,
           GError     **error)
{
  g_autoptr(GVariant) found = NULL;
  char *os_id = NULL;

  if (args->cdrom != NULL)
    {
      if (!hangar_dbus_host1_call_identify_media_sync (ctl->host, args->cdrom, &found, NULL,
                                                       error))
        return NULL;
    }
  else if (args->location != NULL)
    {
      if (!hangar_dbus_host1_call_identify_tree_sync (ctl->host, args->location, &found, NULL,
                                                      error))
        return NULL;
    }
  if (found == NULL || !g_variant_lookup (found, "os-id", "s", &os_id))
    os_id = g_strdup ("generic");
  return os_id;
}

typedef struct
{
  HangarDBusJob1 *job;
  gboolean        interrupted;
  gboolean        tty;
  int             shown;  /* the percentage last printed */
} JobWait;

static gboolean
on_interrupt (gpointer user_data)
{
  JobWait *wait = user_data;

  if (!wait->interrupted)
    {
      wait->interrupted = TRUE;
      hangar_dbus_job1_call_cancel (wait->job, NULL, NULL, NULL);
    }
  return G_SOURCE_CONTINUE;
}

static void
show_progress (JobWait *wait)
{
  int percent = (int) (hangar_dbus_job1_get_progress (wait->job) * 100 + 0.5);

  if (percent == wait->shown)
    return;
  wait->shown = percent;
  g_printerr (wait->tty ? "\r%s: %3d %%" : "%s: %d %%\n",
              hangar_dbus_job1_get_description (wait->job), percent);
}

static void
on_job_changed (GDBusProxy *proxy,
                GVariant   *changed,
                GStrv       invalidated,
                gpointer    user_data)
{
  show_progress (user_data);
}

/* A CreateVolume job to its end, its progress on stderr; SIGINT and SIGTERM cancel it.
 * Returns the new image's path. */
static char *
run_volume_job (Ctl         *ctl,
                GVariant    *options,
                GError     **error)
{
  GDBusProxy *host = G_DBUS_PROXY (ctl->host);
  g_autofree char *job_path = NULL;
  g_autoptr(HangarDBusJob1) job = NULL;
  JobWait wait = { .tty = isatty (STDERR_FILENO), .shown = -1 };
  guint sigint, sigterm;
  gulong changed;
  const char *state;

  if (!hangar_dbus_host1_call_create_volume_sync (ctl->host, options, &job_path, NULL, error))
    return NULL;
  job = hangar_dbus_job1_proxy_new_sync (g_dbus_proxy_get_connection (host),
                                         G_DBUS_PROXY_FLAGS_NONE, g_dbus_proxy_get_name (host),
                                         job_path, NULL, error);
  if (job == NULL)
    return NULL;

  wait.job = job;
  sigint = g_unix_signal_add (SIGINT, on_interrupt, &wait);
  sigterm = g_unix_signal_add (SIGTERM, on_interrupt, &wait);
  changed = g_signal_connect (job, "g-properties-changed", G_CALLBACK (on_job_changed), &wait);
  show_progress (&wait);
  while (g_str_equal (hangar_dbus_job1_get_state (job), "running"))
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (job, changed);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (wait.tty)
    g_printerr ("\n");

  state = hangar_dbus_job1_get_state (job);
  if (g_str_equal (state, "completed"))
    return g_strdup (hangar_dbus_job1_get_result (job));
  if (g_str_equal (state, "cancelled"))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                 _("Interrupted: the image was not made, and nothing is left of it."));
  else
    g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED, "%s",
                 hangar_dbus_job1_get_error (job));
  return NULL;
}

static guint64
default_disk_bytes (Ctl         *ctl,
                    const char  *os_id,
                    GError     **error)
{
  g_autoptr(GVariant) defaults = NULL;
  guint64 bytes = 0;

  if (!hangar_dbus_host1_call_get_os_defaults_sync (ctl->host, os_id, &defaults, NULL, error))
    return 0;
  if (!g_variant_lookup (defaults, "disk-bytes", "t", &bytes) || bytes == 0)
    bytes = G_GUINT64_CONSTANT (20) << 30;
  return bytes;
}

/* The machine's disk: made here (returned in @made too), given, or none (NULL, no error). */
static char *
prepare_disk (Ctl         *ctl,
              CreateArgs  *args,
              const char  *os_id,
              char       **made,
              GError     **error)
{
  GVariantDict options;
  guint64 size;

  if (args->import != NULL && !args->convert)
    return g_strdup (args->import);
  if (args->disk != NULL)
    return g_strdup (args->disk);
  if (args->no_disk || (args->kernel != NULL && args->disk_size == NULL))
    return NULL;

  g_variant_dict_init (&options, NULL);
  g_variant_dict_insert (&options, "for-machine", "s", args->name);
  g_variant_dict_insert (&options, "format", "s", "qcow2");
  if (args->import != NULL)
    g_variant_dict_insert (&options, "source", "s", args->import);
  else
    {
      size = args->disk_size != NULL ? (guint64) (args->disk_gib * (1 << 30)) :
                                       default_disk_bytes (ctl, os_id, error);
      if (size == 0)
        {
          g_variant_dict_clear (&options);
          return NULL;
        }
      g_variant_dict_insert (&options, "size", "t", size);
      if (args->preallocation != NULL)
        g_variant_dict_insert (&options, "preallocation", "s", args->preallocation);
    }
  *made = run_volume_job (ctl, g_variant_dict_end (&options), error);
  return g_strdup (*made);
}

static GVariant *
machine_options (CreateArgs *args,
                 const char *os_id,
                 const char *disk)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "name", "s", args->name);
  g_variant_dict_insert (&dict, "os-id", "s", os_id);
  if (args->memory_mib > 0)
    g_variant_dict_insert (&dict, "memory-kib", "t", (guint64) args->memory_mib * 1024);
  if (args->vcpus > 0)
    g_variant_dict_insert (&dict, "vcpus", "u", (guint32) args->vcpus);
  if (args->cdrom != NULL)
    {
      g_variant_dict_insert (&dict, "install", "s", "cdrom");
      g_variant_dict_insert (&dict, "media", "s", args->cdrom);
    }
  else if (args->location != NULL)
    {
      g_variant_dict_insert (&dict, "install", "s", "url");
      g_variant_dict_insert (&dict, "url", "s", args->location);
      if (args->extra_args != NULL)
        g_variant_dict_insert (&dict, "kernel-args", "s", args->extra_args);
    }
  else if (args->pxe)
    g_variant_dict_insert (&dict, "install", "s", "pxe");
  else if (args->import != NULL)
    g_variant_dict_insert (&dict, "install", "s", "import");
  else
    {
      g_variant_dict_insert (&dict, "install", "s", "kernel");
      g_variant_dict_insert (&dict, "kernel", "s", args->kernel);
      if (args->initrd != NULL)
        g_variant_dict_insert (&dict, "initrd", "s", args->initrd);
      if (args->cmdline != NULL)
        g_variant_dict_insert (&dict, "cmdline", "s", args->cmdline);
    }
  if (disk != NULL)
    g_variant_dict_insert (&dict, "disk", "s", disk);
  if (args->firmware != NULL)
    g_variant_dict_insert (&dict, "firmware", "s", args->firmware);
  if (args->network != NULL)
    g_variant_dict_insert (&dict, "network", "s", args->network);
  return g_variant_dict_end (&dict);
}

int
hangarctl_create (Ctl         *ctl,
                  const Verb  *verb,
                  int          argc,
                  char       **argv)
{
  g_auto(CreateArgs) args = { 0 };
  g_autofree char *problem = parse_create_args (argc, argv, &args);
  g_autoptr(GError) error = NULL;
  g_autofree char *os_id = NULL;
  g_autofree char *disk = NULL;
  g_autofree char *made = NULL;
  g_autofree char *path = NULL;
  g_autoptr(HangarDBusMachine1) machine = NULL;

  if (problem != NULL)
    return hangarctl_usage_error (verb->name, problem);
  make_absolute (&args.cdrom);
  make_absolute (&args.import);
  make_absolute (&args.kernel);
  make_absolute (&args.initrd);
  make_absolute (&args.disk);

  /* Nothing is made for a name that cannot be. */
  if (!hangar_dbus_host1_call_check_machine_name_sync (ctl->host, args.name, NULL, &error))
    return hangarctl_print_error (error);
  os_id = args.os != NULL ? resolve_os (ctl, args.os, &error) : detect_os (ctl, &args, &error);
  if (os_id == NULL)
    return hangarctl_print_error (error);
  disk = prepare_disk (ctl, &args, os_id, &made, &error);
  if (error != NULL)
    return hangarctl_print_error (error);
  if (made != NULL)
    g_print (_("Created the disk image %s\n"), made);

  if (!hangar_dbus_host1_call_create_machine_sync (ctl->host,
                                                   machine_options (&args, os_id, disk),
                                                   &path, NULL, &error))
    {
      int status = hangarctl_print_error (error);

      /* The image was made for this machine only: it goes with it. */
      if (made != NULL && g_unlink (made) == 0)
        g_printerr (_("Removed the disk image %s\n"), made);
      return status;
    }
  machine = hangar_dbus_machine1_proxy_new_sync (g_dbus_proxy_get_connection (G_DBUS_PROXY (ctl->host)),
                                                 G_DBUS_PROXY_FLAGS_NONE,
                                                 g_dbus_proxy_get_name (G_DBUS_PROXY (ctl->host)),
                                                 path, NULL, &error);
  if (machine == NULL)
    return hangarctl_print_error (error);
  g_print (_("Machine %s created\n"), hangar_dbus_machine1_get_name (machine));
  if (args.start)
    {
      if (!hangar_dbus_machine1_call_start_sync (machine, NULL, &error))
        return hangarctl_print_error (error);
      g_print (_("Machine %s started\n"), hangar_dbus_machine1_get_name (machine));
    }
  return 0;
}

/* ---- os-list and identify ----------------------------------------------------------- */

int
hangarctl_check_os_list (const Verb  *verb,
                         int          argc,
                         char       **argv)
{
  for (int i = 1; i < argc; i++)
    if (argv[i][0] == '-')
      return hangarctl_usage_error (verb->name, _("unknown option"));
  return 0;
}

int
hangarctl_os_list (Ctl         *ctl,
                   const Verb  *verb,
                   int          argc,
                   char       **argv)
{
  g_autofree char *query = g_strjoinv (" ", argv + 1);
  g_autoptr(GVariant) systems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  GVariantIter iter;
  const char *id, *short_id, *name;

  if (!hangar_dbus_host1_call_search_operating_systems_sync (ctl->host, query, SEARCH_LIMIT,
                                                             &systems, NULL, &error))
    return hangarctl_print_error (error);
  if (g_variant_n_children (systems) == 0)
    {
      g_printerr (_("No operating system matches “%s”.\n"), query);
      return EXIT_FAILED;
    }
  g_string_append_printf (out, " %-22s %-40s %s\n", _("Short ID"), _("Name"), _("ID"));
  g_string_append (out, "------------------------------------------------------------------"
                        "----------------------------\n");
  g_variant_iter_init (&iter, systems);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &id, &short_id, &name))
    g_string_append_printf (out, " %-22s %-40s %s\n", short_id, name, id);
  fputs (out->str, stdout);
  return 0;
}

int
hangarctl_check_identify (const Verb  *verb,
                          int          argc,
                          char       **argv)
{
  if (argc != 2 || argv[1][0] == '-')
    return hangarctl_usage_error (verb->name, _("give one file or install tree URL"));
  return 0;
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

int
hangarctl_identify (Ctl         *ctl,
                    const Verb  *verb,
                    int          argc,
                    char       **argv)
{
  g_autoptr(GVariant) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  gboolean ok;

  if (strstr (argv[1], "://") != NULL)
    ok = hangar_dbus_host1_call_identify_tree_sync (ctl->host, argv[1], &found, NULL, &error);
  else
    {
      g_autofree char *path = g_canonicalize_filename (argv[1], NULL);

      ok = hangar_dbus_host1_call_identify_media_sync (ctl->host, path, &found, NULL, &error);
    }
  if (!ok)
    return hangarctl_print_error (error);

  for (gsize i = 0; i < g_variant_n_children (found); i++)
    {
      const char *key;

      g_variant_get_child (found, i, "{&sv}", &key, NULL);
      g_ptr_array_add (keys, (gpointer) key);
    }
  g_ptr_array_sort (keys, compare_keys);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      g_autoptr(GVariant) value = g_variant_lookup_value (found, key, NULL);

      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        g_print ("%-14s %s\n", key, g_variant_get_string (value, NULL));
      else
        {
          g_autofree char *text = g_variant_print (value, FALSE);
          g_print ("%-14s %s\n", key, text);
        }
    }
  return 0;
}
