/* hangar-engine.c: the machines of one user, and the D-Bus objects that show them
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * One engine per user per host: a lock file in the runtime folder keeps a second
 * one from managing the same QEMU processes.
 */
#define G_LOG_DOMAIN "hangar-engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "hangar-engine.h"
#include "hangar-error.h"
#include "hangar-host-impl.h"
#include "hangar-job-impl.h"
#include "hangar-machine-impl.h"
#include "hangar-paths.h"
#include "hangar-store.h"

#define HOST_PATH ENGINE_OBJECT_PATH "/host"
#define MACHINE_PATH_PREFIX ENGINE_OBJECT_PATH "/machine/"
#define JOB_PATH_PREFIX ENGINE_OBJECT_PATH "/job/"
/* A job's object stays this long after it ends, for a window that opens late. */
#define JOB_KEEP_SECONDS (10 * 60)
/* With a machine that names its OS, the catalogue loads this long after start, in the
 * background, for Machine1.OsName: never in the way of the start itself. */
#define OSINFO_IDLE_LOAD_SECONDS 2

struct _HangarEngine
{
  GObject                   parent_instance;

  HangarCapabilities       *caps;
  GPtrArray                *machines;   /* HangarMachine, in definition order */
  GPtrArray                *broken;     /* HangarBrokenDefinition */
  HangarStatistics         *statistics;
  GPtrArray                *exports;    /* Export: one per connection served */
  HangarOsinfo             *osinfo;
  GHashTable               *jobs;       /* object path → HangarJob */
  GHashTable               *expiries;   /* object path → source id of its removal */
  guint                     next_job;
  guint                     osinfo_load_id;
  int                       lock_fd;
};

enum {
  SIGNAL_MACHINE_CRASHED,
  SIGNAL_JOB_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The objects as one connection sees them: each connection (the session bus, a peer on
 * engine.sock, the --stdio pipe) has its own object manager and skeletons, views of the
 * same machines and jobs, so that one peer leaving takes nothing from another. */
typedef struct
{
  GDBusConnection          *connection;
  GDBusObjectManagerServer *manager;
  HangarHostImpl           *host;
} Export;

static void
export_free (gpointer data)
{
  Export *export = data;

  hangar_host_impl_forget_peer (export->host);
  g_dbus_object_manager_server_set_connection (export->manager, NULL);
  g_clear_object (&export->manager);
  g_clear_object (&export->host);
  g_clear_object (&export->connection);
  g_free (export);
}

static void
unexport_path (HangarEngine *self,
               const char   *path)
{
  for (guint i = 0; i < self->exports->len; i++)
    {
      Export *export = g_ptr_array_index (self->exports, i);

      g_dbus_object_manager_server_unexport (export->manager, path);
    }
}

G_DEFINE_FINAL_TYPE (HangarEngine, hangar_engine, G_TYPE_OBJECT)

static void
on_machine_crashed (HangarMachine *machine,
                    HangarEngine  *self)
{
  g_signal_emit (self, signals[SIGNAL_MACHINE_CRASHED], 0, machine);
}

static void
on_machine_changed (HangarMachine *machine,
                    HangarEngine  *self)
{
  if (self->statistics != NULL)
    hangar_statistics_machines_changed (self->statistics);
}

static void
add_machine (HangarEngine  *self,
             HangarMachine *machine)
{
  g_ptr_array_add (self->machines, machine);
  g_signal_connect_object (machine, "crashed", G_CALLBACK (on_machine_crashed), self, 0);
  g_signal_connect_object (machine, "changed", G_CALLBACK (on_machine_changed), self, 0);
}

static gboolean
take_lock (HangarEngine  *self,
           GError       **error)
{
  g_autofree char *root = hangar_paths_runtime_root ();
  g_autofree char *path = g_build_filename (root, "engine.lock", NULL);
  g_autofree char *pid = NULL;

  if (!hangar_paths_ensure_dir (root, 0700, error))
    return FALSE;
  self->lock_fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0)
    {
      int saved = errno;
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_FAILED,
                   _("Could not open the engine lock “%s”: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      g_autofree char *holder = NULL;

      g_file_get_contents (path, &holder, NULL, NULL);
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_IN_USE,
                   _("Another hangar-engine (pid %s) already manages this user’s machines."),
                   holder ? g_strstrip (holder) : "?");
      return FALSE;
    }
  pid = g_strdup_printf ("%d\n", getpid ());
  if (ftruncate (self->lock_fd, 0) == 0 && write (self->lock_fd, pid, strlen (pid)) < 0)
    g_debug ("Could not note the pid in the lock file");
  return TRUE;
}

static void
remove_source (gpointer id)
{
  g_source_remove (GPOINTER_TO_UINT (id));
}

static void
hangar_engine_finalize (GObject *object)
{
  HangarEngine *self = HANGAR_ENGINE (object);

  hangar_engine_unexport (self);
  g_clear_pointer (&self->exports, g_ptr_array_unref);
  g_clear_handle_id (&self->osinfo_load_id, g_source_remove);
  g_clear_pointer (&self->expiries, g_hash_table_unref);
  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_clear_object (&self->osinfo);
  g_clear_object (&self->statistics);
  g_clear_pointer (&self->machines, g_ptr_array_unref);
  g_clear_pointer (&self->broken, g_ptr_array_unref);
  g_clear_pointer (&self->caps, hangar_capabilities_free);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  G_OBJECT_CLASS (hangar_engine_parent_class)->finalize (object);
}

static void
hangar_engine_class_init (HangarEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hangar_engine_finalize;

  /* A machine has just crashed: (HangarMachine *machine). */
  signals[SIGNAL_MACHINE_CRASHED] =
    g_signal_new ("machine-crashed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, HANGAR_TYPE_MACHINE);
  /* A job has just ended: (HangarJob *job). */
  signals[SIGNAL_JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, HANGAR_TYPE_JOB);
}

static void
hangar_engine_init (HangarEngine *self)
{
  self->machines = g_ptr_array_new_with_free_func (g_object_unref);
  self->broken = g_ptr_array_new_with_free_func (hangar_broken_definition_free);
  self->lock_fd = -1;
  self->exports = g_ptr_array_new_with_free_func (export_free);
  self->osinfo = hangar_osinfo_new ();
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->expiries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          remove_source);
}

/**
 * hangar_engine_new:
 *
 * Probes the host, takes the user's engine lock, reads every definition and finds
 * the QEMU processes that still run.
 */
HangarEngine *
hangar_engine_new (GError **error)
{
  g_autoptr(HangarEngine) self = g_object_new (HANGAR_TYPE_ENGINE, NULL);
  g_autoptr(GPtrArray) domains = g_ptr_array_new_with_free_func ((GDestroyNotify) hangar_domain_unref);

  self->caps = hangar_capabilities_probe (error);
  if (self->caps == NULL || !take_lock (self, error))
    return NULL;
  if (!hangar_store_load_all (domains, self->broken, error))
    return NULL;

  for (guint i = 0; i < domains->len; i++)
    {
      HangarMachine *machine = hangar_machine_new (g_ptr_array_index (domains, i), self->caps);

      add_machine (self, machine);
      hangar_machine_reattach (machine);
    }
  self->statistics = hangar_statistics_new (self->machines);
  for (guint i = 0; i < self->broken->len; i++)
    {
      HangarBrokenDefinition *broken = g_ptr_array_index (self->broken, i);
      /* Expected and handled: clients see it in BrokenDefinitions. */
      g_message ("Definition “%s” is kept but not used: %s", broken->path, broken->message);
    }
  return g_steal_pointer (&self);
}

const HangarCapabilities *
hangar_engine_get_capabilities (HangarEngine *self)
{
  g_return_val_if_fail (HANGAR_IS_ENGINE (self), NULL);

  return self->caps;
}

GPtrArray *
hangar_engine_get_broken (HangarEngine *self)
{
  g_return_val_if_fail (HANGAR_IS_ENGINE (self), NULL);

  return self->broken;
}

HangarStatistics *
hangar_engine_get_statistics (HangarEngine *self)
{
  g_return_val_if_fail (HANGAR_IS_ENGINE (self), NULL);

  return self->statistics;
}

HangarOsinfo *
hangar_engine_get_osinfo (HangarEngine *self)
{
  g_return_val_if_fail (HANGAR_IS_ENGINE (self), NULL);

  return self->osinfo;
}

HangarMachine *
hangar_engine_lookup (HangarEngine *self,
                      const char   *name_or_uuid)
{
  g_return_val_if_fail (HANGAR_IS_ENGINE (self), NULL);

  for (guint i = 0; i < self->machines->len; i++)
    {
      HangarMachine *machine = g_ptr_array_index (self->machines, i);

      if (g_str_equal (hangar_machine_get_name (machine), name_or_uuid) ||
          g_ascii_strcasecmp (hangar_machine_get_uuid (machine), name_or_uuid) == 0)
        return machine;
    }
  return NULL;
}

char *
hangar_engine_object_path (HangarEngine  *self,
                           HangarMachine *machine)
{
  g_autofree char *uuid = g_strdup (hangar_machine_get_uuid (machine));

  g_strdelimit (uuid, "-", '_');
  return g_strconcat (MACHINE_PATH_PREFIX, uuid, NULL);
}

/**
 * hangar_engine_check_new_name:
 *
 * Whether @name can name a new machine: a valid name (see
 * hangar_domain_name_is_valid()) that no machine has, and that is not only dots,
 * which read as a path rather than a name.
 */
gboolean
hangar_engine_check_new_name (HangarEngine  *self,
                              const char    *name,
                              GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!hangar_domain_name_is_valid (name, &local_error))
    {
      g_set_error_literal (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                           local_error->message);
      return FALSE;
    }
  if (strspn (name, ".") == strlen (name))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("“%s” reads as a path, not a name; give the machine a name with "
                     "letters or digits."), name);
      return FALSE;
    }
  for (guint i = 0; i < self->machines->len; i++)
    if (g_str_equal (hangar_machine_get_name (g_ptr_array_index (self->machines, i)), name))
      {
        g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_ALREADY_EXISTS,
                     _("A machine named “%s” exists already; choose another name."), name);
        return FALSE;
      }
  return TRUE;
}

/* @base if no machine has that name, else "@base-2", "@base-3", ... */
char *
hangar_engine_free_name (HangarEngine *self,
                         const char   *base)
{
  char *name = g_strdup (base);

  for (guint n = 2; hangar_engine_lookup (self, name) != NULL; n++)
    {
      g_free (name);
      name = g_strdup_printf ("%s-%u", base, n);
    }
  return name;
}

/* ---- jobs ------------------------------------------------------------------------- */

typedef struct
{
  HangarEngine *engine; /* cancels this in finalize */
  char         *path;
} JobExpiry;

static void
job_expiry_free (gpointer data)
{
  JobExpiry *expiry = data;

  g_free (expiry->path);
  g_free (expiry);
}

static gboolean
on_job_expired (gpointer user_data)
{
  JobExpiry *expiry = user_data;
  HangarEngine *self = expiry->engine;

  unexport_path (self, expiry->path);
  g_hash_table_remove (self->jobs, expiry->path);
  g_hash_table_steal (self->expiries, expiry->path);
  return G_SOURCE_REMOVE;
}

static void
on_job_finished (HangarJob    *job,
                 HangarEngine *self)
{
  JobExpiry *expiry = g_new0 (JobExpiry, 1);
  GHashTableIter iter;
  gpointer path, value;
  guint id;

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, &path, &value))
    if (value == job)
      expiry->path = g_strdup (path);
  g_assert (expiry->path != NULL);
  expiry->engine = self;
  id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, JOB_KEEP_SECONDS, on_job_expired, expiry,
                                   job_expiry_free);
  g_hash_table_insert (self->expiries, g_strdup (expiry->path), GUINT_TO_POINTER (id));
  g_signal_emit (self, signals[SIGNAL_JOB_FINISHED], 0, job);
}

/**
 * hangar_engine_add_job:
 *
 * Exports @job as a Job1 object, until 10 minutes after it ends.
 *
 * Returns: its object path.
 */
static void
export_job (Export     *export,
            const char *path,
            HangarJob  *job)
{
  g_autoptr(HangarDBusObjectSkeleton) object = hangar_dbus_object_skeleton_new (path);
  g_autoptr(HangarJobImpl) impl = hangar_job_impl_new (job);

  hangar_dbus_object_skeleton_set_job1 (object, HANGAR_DBUS_JOB1 (impl));
  g_dbus_object_manager_server_export (export->manager, G_DBUS_OBJECT_SKELETON (object));
}

char *
hangar_engine_add_job (HangarEngine *self,
                       HangarJob    *job)
{
  g_autofree char *path = g_strdup_printf (JOB_PATH_PREFIX "%u", ++self->next_job);

  g_return_val_if_fail (HANGAR_IS_ENGINE (self), NULL);

  g_hash_table_insert (self->jobs, g_strdup (path), g_object_ref (job));
  g_signal_connect_object (job, "finished", G_CALLBACK (on_job_finished), self, 0);
  for (guint i = 0; i < self->exports->len; i++)
    export_job (g_ptr_array_index (self->exports, i), path, job);
  return g_steal_pointer (&path);
}

/* ---- D-Bus objects ------------------------------------------------------------ */

static void
export_machine_on (HangarEngine  *self,
                   Export        *export,
                   HangarMachine *machine)
{
  g_autofree char *path = hangar_engine_object_path (self, machine);
  g_autoptr(HangarDBusObjectSkeleton) object = hangar_dbus_object_skeleton_new (path);
  g_autoptr(HangarMachineImpl) impl = hangar_machine_impl_new (self, machine);

  hangar_dbus_object_skeleton_set_machine1 (object, HANGAR_DBUS_MACHINE1 (impl));
  g_dbus_object_manager_server_export (export->manager, G_DBUS_OBJECT_SKELETON (object));
}

static void
export_machine (HangarEngine  *self,
                HangarMachine *machine)
{
  for (guint i = 0; i < self->exports->len; i++)
    export_machine_on (self, g_ptr_array_index (self->exports, i), machine);
}

static void
on_osinfo_loaded (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OsinfoDb) db = hangar_osinfo_load_finish (HANGAR_OSINFO (object), result, &error);

  if (db == NULL)
    g_message ("%s", error->message);
}

static gboolean
on_osinfo_idle_load (gpointer user_data)
{
  HangarEngine *self = user_data;

  self->osinfo_load_id = 0;
  hangar_osinfo_load_async (self->osinfo, on_osinfo_loaded, NULL);
  return G_SOURCE_REMOVE;
}

/**
 * hangar_engine_export:
 *
 * Exports the object manager, the host, every machine and every job on @connection.
 * The engine serves any number of connections at once, each with objects of its own:
 * the session bus and the peers of engine.sock or of --stdio.
 */
void
hangar_engine_export (HangarEngine    *self,
                      GDBusConnection *connection)
{
  g_autoptr(HangarDBusObjectSkeleton) host_object = NULL;
  Export *export;
  GHashTableIter iter;
  gpointer path, job;

  g_return_if_fail (HANGAR_IS_ENGINE (self));
  g_return_if_fail (G_IS_DBUS_CONNECTION (connection));

  export = g_new0 (Export, 1);
  export->connection = g_object_ref (connection);
  export->manager = g_dbus_object_manager_server_new (ENGINE_OBJECT_PATH);
  export->host = hangar_host_impl_new (self);
  host_object = hangar_dbus_object_skeleton_new (HOST_PATH);
  hangar_dbus_object_skeleton_set_host1 (host_object, HANGAR_DBUS_HOST1 (export->host));
  g_dbus_object_manager_server_export (export->manager, G_DBUS_OBJECT_SKELETON (host_object));

  for (guint i = 0; i < self->machines->len; i++)
    export_machine_on (self, export, g_ptr_array_index (self->machines, i));
  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, &path, &job))
    export_job (export, path, job);

  g_ptr_array_add (self->exports, export);
  g_dbus_object_manager_server_set_connection (export->manager, connection);

  for (guint i = 0; i < self->machines->len && self->osinfo_load_id == 0; i++)
    if (hangar_domain_get_def (hangar_machine_get_domain (g_ptr_array_index (self->machines,
                                                                             i)))->os_id)
      self->osinfo_load_id = g_timeout_add_seconds (OSINFO_IDLE_LOAD_SECONDS,
                                                    on_osinfo_idle_load, self);
}

/**
 * hangar_engine_unexport_connection:
 *
 * Takes the objects off @connection, one of those hangar_engine_export() was given.
 */
void
hangar_engine_unexport_connection (HangarEngine    *self,
                                   GDBusConnection *connection)
{
  g_return_if_fail (HANGAR_IS_ENGINE (self));

  for (guint i = 0; i < self->exports->len; i++)
    if (((Export *) g_ptr_array_index (self->exports, i))->connection == connection)
      {
        g_ptr_array_remove_index (self->exports, i);
        return;
      }
}

/* Takes the objects off every connection. */
void
hangar_engine_unexport (HangarEngine *self)
{
  g_return_if_fail (HANGAR_IS_ENGINE (self));

  if (self->exports != NULL)
    g_ptr_array_set_size (self->exports, 0);
}

/* ---- define and delete -------------------------------------------------------- */

/**
 * hangar_engine_define:
 *
 * Defines a machine from libvirt XML, or replaces the definition of the machine with
 * the same UUID (a running machine keeps what it started with until it restarts).
 * Nothing is written unless every check passes.
 */
/* The checks a definition passes before it is saved: the host, its files, the
 * machine type, a name no other machine has. Returns: the definition as it is
 * saved (without aliases), or NULL. */
static HangarDomain *
check_definition (HangarEngine   *self,
                  const char     *xml,
                  HangarMachine **out_existing,
                  GError        **error)
{
  g_autoptr(HangarDomain) parsed = NULL;
  g_autoptr(HangarDomain) domain = NULL;
  HangarMachine *existing, *same_name;
  const char *machine_type;

  parsed = hangar_domain_parse (xml, -1, error);
  if (parsed == NULL)
    return NULL;
  /* <alias> are QEMU ids of a running machine's devices: not part of a definition. */
  domain = hangar_domain_strip_aliases (parsed, error);
  if (domain == NULL ||
      !hangar_domain_check_host (domain, self->caps->host_memory_kib, error) ||
      !hangar_domain_check_files (domain, error))
    return NULL;

  machine_type = hangar_domain_get_def (domain)->machine;
  if (self->caps->qemu_binary != NULL &&
      !g_strv_contains ((const char * const *) self->caps->machine_types, machine_type))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_NOT_SUPPORTED,
                   _("QEMU %s on this host has no machine type “%s”; use pc or q35."),
                   self->caps->qemu_version ? self->caps->qemu_version : "", machine_type);
      return NULL;
    }

  existing = hangar_engine_lookup (self, hangar_domain_get_uuid (domain));
  same_name = hangar_engine_lookup (self, hangar_domain_get_name (domain));
  if (same_name != NULL && same_name != existing)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_ALREADY_EXISTS,
                   _("A machine named “%s” exists already; choose another name."),
                   hangar_domain_get_name (domain));
      return NULL;
    }
  *out_existing = existing;
  return g_steal_pointer (&domain);
}

/**
 * hangar_engine_define:
 *
 * Defines a machine from libvirt XML, or replaces the definition of the machine with
 * the same UUID (a running machine keeps what it started with until it restarts:
 * the differences are its PendingChanges). Nothing is written unless every check
 * passes.
 */
HangarMachine *
hangar_engine_define (HangarEngine  *self,
                      const char    *xml,
                      GError       **error)
{
  g_autoptr(HangarDomain) domain = NULL;
  HangarMachine *existing = NULL;

  g_return_val_if_fail (HANGAR_IS_ENGINE (self), NULL);

  domain = check_definition (self, xml, &existing, error);
  if (domain == NULL ||
      !hangar_domain_prepare_nvram (domain, error) || !hangar_store_save (domain, error))
    return NULL;

  if (existing != NULL)
    {
      hangar_machine_set_domain (existing, domain);
      return existing;
    }

  existing = hangar_machine_new (domain, self->caps);
  add_machine (self, existing);
  export_machine (self, existing);
  return existing;
}

/**
 * hangar_engine_update_async:
 * @machine: the machine whose definition @xml replaces
 *
 * Checks and saves @xml as @machine's definition, then applies to the running
 * QEMU what it can take live (hangar_machine_update_async()).
 */
void
hangar_engine_update_async (HangarEngine        *self,
                            HangarMachine       *machine,
                            const char          *xml,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(HangarDomain) domain = NULL;
  g_autoptr(GError) error = NULL;
  HangarMachine *existing = NULL;

  domain = check_definition (self, xml, &existing, &error);
  if (domain != NULL && existing != machine)
    {
      g_set_error (&error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("The definition has the UUID %s, not this machine’s (%s)."),
                   hangar_domain_get_uuid (domain), hangar_machine_get_uuid (machine));
      g_clear_pointer (&domain, hangar_domain_unref);
    }
  else if (domain != NULL && hangar_machine_is_updating (machine))
    {
      g_set_error (&error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                   _("Another change to “%s” is being applied; try again in a moment."),
                   hangar_machine_get_name (machine));
      g_clear_pointer (&domain, hangar_domain_unref);
    }
  if (domain == NULL ||
      !hangar_domain_prepare_nvram (domain, &error) || !hangar_store_save (domain, &error))
    {
      g_task_report_error (self, callback, user_data, hangar_engine_update_async,
                           g_steal_pointer (&error));
      return;
    }
  hangar_machine_update_async (machine, domain, cancellable, callback, user_data);
}

gboolean
hangar_engine_update_finish (HangarEngine   *self,
                             HangarMachine  *machine,
                             GAsyncResult   *result,
                             GStrv          *applied_live,
                             GStrv          *pending,
                             GError        **error)
{
  if (g_async_result_is_tagged (result, hangar_engine_update_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  return hangar_machine_update_finish (machine, result, applied_live, pending, error);
}

/**
 * hangar_machine_disk_images:
 *
 * Returns: the files of the machine's hard disks (not CD-ROM images).
 */
GStrv
hangar_machine_disk_images (HangarMachine *machine)
{
  const HangarDomainDef *def = hangar_domain_get_def (hangar_machine_get_domain (machine));
  g_autoptr(GStrvBuilder) images = g_strv_builder_new ();

  for (guint i = 0; i < def->disks->len; i++)
    {
      HangarDiskDef *disk = g_ptr_array_index (def->disks, i);

      if (disk->source != NULL && g_str_equal (disk->device, "disk"))
        g_strv_builder_add (images, disk->source);
    }
  return g_strv_builder_end (images);
}

/* Whether a machine other than @except has @path as a disk or CD-ROM image. */
static gboolean
image_in_use (HangarEngine  *self,
              HangarMachine *except,
              const char    *path)
{
  g_autofree char *wanted = g_canonicalize_filename (path, NULL);

  for (guint i = 0; i < self->machines->len; i++)
    {
      HangarMachine *machine = g_ptr_array_index (self->machines, i);
      const HangarDomainDef *def = hangar_domain_get_def (hangar_machine_get_domain (machine));

      if (machine == except)
        continue;
      for (guint j = 0; j < def->disks->len; j++)
        {
          HangarDiskDef *disk = g_ptr_array_index (def->disks, j);
          g_autofree char *other = disk->source ? g_canonicalize_filename (disk->source, NULL) :
                                                  NULL;

          if (other != NULL && g_str_equal (other, wanted))
            return TRUE;
        }
    }
  return FALSE;
}

static void
remove_runtime_dir (HangarMachine *machine)
{
  g_autofree char *runtime_dir = hangar_paths_runtime_dir (hangar_machine_get_uuid (machine));
  g_autoptr(GDir) dir = g_dir_open (runtime_dir, 0, NULL);
  const char *name;

  /* It holds only logs of past runs now. */
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (runtime_dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (runtime_dir);
}

/**
 * hangar_engine_delete:
 * @flags: 0 or HANGAR_DELETE_DISK_IMAGES
 * @deleted_images: (out): the images deleted
 * @kept_images: (out): images kept because another machine uses them, or that could
 *   not be removed
 *
 * Removes a shut-off machine's definition, and with HANGAR_DELETE_DISK_IMAGES its disk
 * images too, but never one another machine uses.
 */
gboolean
hangar_engine_delete (HangarEngine   *self,
                      HangarMachine  *machine,
                      guint           flags,
                      GStrv          *deleted_images,
                      GStrv          *kept_images,
                      GError        **error)
{
  g_autoptr(HangarMachine) keep = g_object_ref (machine);
  g_autoptr(GStrvBuilder) deleted = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) images = hangar_machine_disk_images (machine);
  g_autofree char *path = NULL;

  g_return_val_if_fail (HANGAR_IS_ENGINE (self), FALSE);

  if ((flags & ~HANGAR_DELETE_DISK_IMAGES) != 0)
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_ARGUMENT,
                   _("Delete knows only the flag 1 (delete disk images); %u is not known."),
                   flags);
      return FALSE;
    }
  if (hangar_machine_is_active (machine))
    {
      g_set_error (error, HANGAR_ERROR, HANGAR_ERROR_INVALID_STATE,
                   _("“%s” is running; shut it down before deleting it."),
                   hangar_machine_get_name (machine));
      return FALSE;
    }
  if (!hangar_store_delete (hangar_machine_get_uuid (machine), error))
    return FALSE;

  path = hangar_engine_object_path (self, machine);
  unexport_path (self, path);
  g_ptr_array_remove (self->machines, machine);
  remove_runtime_dir (machine);
  {
    /* The machine's own files: its UEFI variables, an installer's kernel. */
    g_autofree char *data_dir = hangar_paths_machine_data_dir (hangar_machine_get_uuid (machine));
    hangar_paths_remove_tree (data_dir);
  }

  /* The definition is gone; an image that will not go is reported, not an error. */
  for (guint i = 0; (flags & HANGAR_DELETE_DISK_IMAGES) && images[i] != NULL; i++)
    {
      if (image_in_use (self, machine, images[i]))
        g_strv_builder_add (kept, images[i]);
      else if (g_unlink (images[i]) == 0 || errno == ENOENT)
        g_strv_builder_add (deleted, images[i]);
      else
        {
          g_message ("Could not delete the image “%s”: %s", images[i], g_strerror (errno));
          g_strv_builder_add (kept, images[i]);
        }
    }

  if (deleted_images != NULL)
    *deleted_images = g_strv_builder_end (deleted);
  if (kept_images != NULL)
    *kept_images = g_strv_builder_end (kept);
  return TRUE;
}

/* ---- autostart ----------------------------------------------------------------- */

static void
on_autostarted (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hangar_machine_start_finish (HANGAR_MACHINE (object), result, &error))
    g_message ("Could not autostart “%s”: %s",
               hangar_machine_get_name (HANGAR_MACHINE (object)), error->message);
}

/**
 * hangar_engine_run_autostart:
 *
 * Starts the machines marked for autostart, once per login session: the marker in
 * the runtime folder keeps an engine restart from starting again a machine the user
 * has shut down since.
 */
void
hangar_engine_run_autostart (HangarEngine *self)
{
  g_autofree char *root = hangar_paths_runtime_root ();
  g_autofree char *marker = g_build_filename (root, "autostarted", NULL);

  g_return_if_fail (HANGAR_IS_ENGINE (self));

  if (g_file_test (marker, G_FILE_TEST_EXISTS))
    return;
  g_file_set_contents (marker, "", 0, NULL);

  for (guint i = 0; i < self->machines->len; i++)
    {
      HangarMachine *machine = g_ptr_array_index (self->machines, i);

      if (hangar_store_get_autostart (hangar_machine_get_uuid (machine)) &&
          !hangar_machine_is_active (machine))
        hangar_machine_start_async (machine, "autostart", NULL, on_autostarted, NULL);
    }
}
