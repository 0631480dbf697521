// Renders the top modal of the stack; each kind has one dialog component.
import React from 'react';
import type { Modal } from '../state/appState.js';
import type { Action } from '../keys.js';
import { useApp } from '../appContext.js';
import { HelpOverlay } from '../components/HelpOverlay.js';
import { ConflictDialog, QuitDialog, RestartDialog, SaveDialog, UndoSaveDialog } from './SaveDialogs.js';
import { ContextDialog, FilterDialog, MessageDialog } from './MiscDialogs.js';
import {
  ConnectorDeleteDialog,
  ConnectorDetailDialog,
  ConnectorRenameDialog,
  ConnectorTypeDialog,
} from './ConnectorDialogs.js';
import { ConnectorForm } from './ConnectorForm.js';
import {
  MappingDeleteDialog,
  MappingEntryDialog,
  MappingGroupDialog,
  SimulateDialog,
} from './MappingDialogs.js';
import { UserCreateDialog, UserDeleteDialog, UserDetailDialog, UserRolesDialog } from './UserDialogs.js';
import { UserPasswordDialog, StaticPasswordDialog } from './PasswordDialog.js';
import { StaticAddDialog, StaticRemoveDialog } from './StaticDialogs.js';
import { HistoryRevisionDialog, HistoryWriteDialog } from './HistoryDialogs.js';

export function ModalView(props: { modal: Modal; actions: readonly Action[] }): React.ReactElement {
  const svc = useApp();
  const m = props.modal;
  // Keyed by kind so a replaced modal starts with fresh local state.
  switch (m.kind) {
    case 'help':
      return (
        <HelpOverlay
          key="help"
          actions={props.actions}
          readOnly={svc.state.readOnly}
          onClose={() => svc.dispatch({ type: 'popModal' })}
        />
      );
    case 'quit':
      return <QuitDialog key="quit" />;
    case 'save':
      return <SaveDialog key="save" />;
    case 'conflict':
      return <ConflictDialog key="conflict" {...m} />;
    case 'restart':
      return <RestartDialog key="restart" reason={m.reason} />;
    case 'undoSave':
      return <UndoSaveDialog key="undo" />;
    case 'contexts':
      return <ContextDialog key="contexts" />;
    case 'filter':
      return <FilterDialog key="filter" tab={m.tab} />;
    case 'message':
      return <MessageDialog key="message" title={m.title} lines={m.lines} />;
    case 'connectorDetail':
      return <ConnectorDetailDialog key="cdetail" id={m.id} />;
    case 'connectorType':
      return <ConnectorTypeDialog key="ctype" />;
    case 'connectorForm':
      return <ConnectorForm key={`cform-${m.type}-${m.editId ?? ''}`} type={m.type} editId={m.editId} />;
    case 'connectorDelete':
      return <ConnectorDeleteDialog key="cdelete" id={m.id} />;
    case 'connectorRename':
      return <ConnectorRenameDialog key="crename" id={m.id} />;
    case 'mappingEntry':
      return <MappingEntryDialog key="mentry" index={m.index} />;
    case 'mappingGroup':
      return (
        <MappingGroupDialog key={`mgroup-${m.entry}-${m.group ?? ''}`} entry={m.entry} group={m.group} />
      );
    case 'mappingDelete':
      return <MappingDeleteDialog key="mdelete" entry={m.entry} group={m.group} />;
    case 'simulate':
      return <SimulateDialog key="simulate" />;
    case 'userDetail':
      return <UserDetailDialog key="udetail" secretName={m.secretName} />;
    case 'userPassword':
      return <UserPasswordDialog key="upw" secretName={m.secretName} />;
    case 'userRoles':
      return <UserRolesDialog key="uroles" secretName={m.secretName} />;
    case 'userCreate':
      return <UserCreateDialog key="ucreate" />;
    case 'userDelete':
      return <UserDeleteDialog key="udelete" secretName={m.secretName} />;
    case 'staticPassword':
      return <StaticPasswordDialog key="spw" email={m.email} />;
    case 'staticAdd':
      return <StaticAddDialog key="sadd" />;
    case 'staticRemove':
      return <StaticRemoveDialog key="sremove" email={m.email} />;
    case 'historyRevision':
      return <HistoryRevisionDialog key={`hrev-${m.number}`} number={m.number} />;
    case 'historyWrite':
      return (
        <HistoryWriteDialog key={`hwrite-${m.what}-${m.number ?? ''}`} what={m.what} number={m.number} />
      );
  }
}
